#!/usr/bin/env bash
# The main job: set up, compile migrations/, apply it to a scratch PostgreSQL, print the status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build/mig compile migrations -o build/plan
build/mig scratch -- sh -c 'build/mig up --plan build/plan && build/mig status --plan build/plan'
