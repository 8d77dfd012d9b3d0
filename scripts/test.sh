#!/usr/bin/env bash
# Set up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The packages of the editor grammar test (editors/test), as locked.
(cd editors/test && npm ci --no-audit --no-fund --loglevel=error)
cd build && ctest --output-on-failure -j2
