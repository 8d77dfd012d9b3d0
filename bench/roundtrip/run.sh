#!/usr/bin/env bash
# Random round trips, many histories: the suite's property test
# (tests/e2e/random_roundtrip_test.cpp, 5 histories) run with SEEDS histories. Each history
# is 12 random migrations, applied with rows inserted as they go; every migration is taken
# back right after it is applied, then the whole history is taken back one migration at a
# time, and each downgrade must restore the schema exactly. See bench/README.md.
#
#   bash bench/roundtrip/run.sh                  # 300 histories
#   SEEDS=50 FIRST_SEED=1001 bash bench/roundtrip/run.sh
#
# Settings (environment): SEEDS (300), FIRST_SEED (1; history i uses seed FIRST_SEED+i-1),
# BUILD (build), OUT (results dir). The script exits with the test's status (0 when every
# history round-tripped exactly); every failure names its seed and shows its history.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$repo/build}
OUT=${OUT:-$here/out}
tests=$BUILD/tests/e2e_tests
[[ -x $tests ]] || { echo "run.sh: no $tests; build first (cmake --build build)" >&2; exit 2; }

mkdir -p "$OUT"
status=0
start=$(date +%s)
MIG_ROUNDTRIP_HISTORIES=${SEEDS:-300} MIG_ROUNDTRIP_FIRST_SEED=${FIRST_SEED:-1} \
  "$tests" "[random-roundtrip]" --reporter compact >"$OUT/output.txt" 2>&1 || status=$?
grep "^random round trips:" "$OUT/output.txt" || true
echo "$(( $(date +%s) - start )) s; every failure's report: $OUT/output.txt"
exit "$status"
