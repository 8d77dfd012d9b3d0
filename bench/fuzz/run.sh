#!/usr/bin/env bash
# The compiler and linter fuzzer, run long: SEEDS runs of INPUTS mutated .mig and .sql
# inputs each (tests/compiler/fuzz_test.cpp), in-process. A crash leaves the input that
# caused it in bench/fuzz/out/current.mig (or .sql); a failed check names its saved file.
#   bash bench/fuzz/run.sh                  # 4 seeds x 25000 inputs
#   SEEDS="7 8" INPUTS=20000 bash bench/fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${SEEDS:-"1 2 3 4"}
INPUTS=${INPUTS:-25000}
out=bench/fuzz/out
mkdir -p "$out"
cmake --build build -j2 --target compiler_tests >/dev/null
total=0
for seed in $SEEDS; do
  MIG_FUZZ_SEED=$seed MIG_FUZZ_INPUTS=$INPUTS MIG_FUZZ_DIR=$out \
    build/tests/compiler_tests "[fuzz]" --success --reporter compact | grep '^fuzz:' || {
      echo "fuzz: seed $seed failed; the input is in $out" >&2
      exit 1
    }
  total=$((total + INPUTS))
done
echo "fuzz: $total inputs over seeds $SEEDS: 0 crashes, 0 hangs, every error located"
