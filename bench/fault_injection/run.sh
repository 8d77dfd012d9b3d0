#!/usr/bin/env bash
# Fault injection for `mig up`, many trials: the suite's test
# (tests/e2e/fault_injection_test.cpp, 12 trials) run with TRIALS trials. Each trial kills
# `mig up` (or terminates its backends) at a random moment of a mixed migration set, maybe
# faults the rerun too, then runs it to the end and checks the database. See bench/README.md.
#
#   bash bench/fault_injection/run.sh              # 100 trials, about 9 minutes
#   TRIALS=20 FIRST_SEED=101 bash bench/fault_injection/run.sh
#
# Settings (environment): TRIALS (100), FIRST_SEED (1; trial i uses seed FIRST_SEED+i-1),
# BUILD (build), OUT (results dir). The script exits with the test's status: the number of
# trials with a broken invariant (0 when every trial reached head intact).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$repo/build}
OUT=${OUT:-$here/out}
tests=$BUILD/tests/e2e_tests
[[ -x $tests ]] || { echo "run.sh: no $tests; build first (cmake --build build)" >&2; exit 2; }

mkdir -p "$OUT"
status=0
MIG_FAULT_TRIALS=${TRIALS:-100} MIG_FAULT_FIRST_SEED=${FIRST_SEED:-1} \
  "$tests" "[faults]" --reporter compact >"$OUT/output.txt" 2>&1 || status=$?
# The summary is the test's closing warning; every failed trial's report is above it.
sed -n "/warning: 'fault injection:/,\$p" "$OUT/output.txt"
echo "every trial's report: $OUT/output.txt"
exit "$status"
