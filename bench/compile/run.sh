#!/usr/bin/env bash
# Compile time against history length: generates histories of one-table migrations (with
# some added columns, indexes and foreign keys) and times `mig compile` and `mig lint` on
# each, median of RUNS runs, per migration too so that growth shows.
#
#   bash bench/compile/run.sh                                  # build/mig alone
#   BEFORE=/path/to/older/mig bash bench/compile/run.sh        # side by side with another build
#   COUNTS="1000 2000" RUNS=3 bash bench/compile/run.sh
#
# Needs build/mig (cmake --build build) and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

counts=${COUNTS:-"1000 2000 4000 8000 16000"}
runs=${RUNS:-5}
after=${AFTER:-$PWD/build/mig}
before=${BEFORE:-}
out=bench/compile/out

[ -x "$after" ] || { echo "build mig first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
[ -z "$before" ] || [ -x "$before" ] || { echo "BEFORE=$before is not executable" >&2; exit 2; }

# Median wall time in seconds of `runs` runs of the command.
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

# "0.123 s (61 µs)": seconds, and microseconds per migration.
cell() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.3f s (%.0f µs)", s, s * 1e6 / n }'; }

mkdir -p "$out"
echo "after:  $after ($("$after" --version 2>/dev/null || true))"
[ -z "$before" ] || echo "before: $before ($("$before" --version 2>/dev/null || true))"
echo "machine: $(nproc) cores, $(uname -m), runs: $runs (median)"
echo
if [ -n "$before" ]; then
  echo "| migrations | compile before | compile after | lint before | lint after |"
  echo "|-----------:|---------------:|--------------:|------------:|-----------:|"
else
  echo "| migrations | compile | lint |"
  echo "|-----------:|--------:|-----:|"
fi
for n in $counts; do
  python3 bench/compile/generate.py "$out/history" --count "$n"
  compile_after=$(median "$after" compile "$out/history" -o "$out/plan")
  lint_after=$(median "$after" lint "$out/history")
  if [ -n "$before" ]; then
    compile_before=$(median "$before" compile "$out/history" -o "$out/plan")
    lint_before=$(median "$before" lint "$out/history")
    echo "| $n | $(cell "$compile_before" "$n") | $(cell "$compile_after" "$n") |" \
      "$(cell "$lint_before" "$n") | $(cell "$lint_after" "$n") |"
  else
    echo "| $n | $(cell "$compile_after" "$n") | $(cell "$lint_after" "$n") |"
  fi
done
