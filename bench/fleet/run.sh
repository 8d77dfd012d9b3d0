#!/usr/bin/env bash
# Fleet apply: a small history (migrations/: a table, a column with a default, a concurrent
# index) applied to TENANTS databases of one throwaway PostgreSQL, once by a shell loop of
# `mig up` (one database after the other) and once by `mig up --targets FILE --jobs N` for
# each N of JOBS. Each run resets every database first. See bench/README.md.
#
#   bash bench/fleet/run.sh                      # 200 databases, 3 runs: about 2 minutes
#   TENANTS=50 RUNS=1 JOBS="4" bash bench/fleet/run.sh
#
# Settings (environment): TENANTS (200), RUNS (3), JOBS ("2 4"), MIG (build/mig), OUT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

TENANTS=${TENANTS:-200}
RUNS=${RUNS:-3}
JOBS=${JOBS:-2 4}
OUT=${OUT:-$here/out}

now() { date +%s.%N; }

rm -rf "$OUT"
mkdir -p "$OUT"
"$MIG" compile "$here/migrations" -o "$OUT/plan" >/dev/null
for i in $(seq "$TENANTS"); do
  sql -d postgres -c "CREATE DATABASE tenant_$i"
  url_of "tenant_$i" >>"$OUT/targets"
done
echo "== $(nproc) cores, $(postgres --version), $TENANTS databases, $(ls "$here/migrations" | wc -l) migrations"

# Every database back to empty: no table, no history.
reset() {
  for i in $(seq "$TENANTS"); do
    PGOPTIONS="-c client_min_messages=warning" sql -d "tenant_$i" -c "DROP SCHEMA IF EXISTS mig CASCADE" \
      -c "DROP TABLE IF EXISTS accounts"
  done
}
# Each database must be at version 3 afterwards.
check() {
  local at_head
  at_head=$("$MIG" status --plan "$OUT/plan" --targets "$OUT/targets" --jobs 4 --format json 2>/dev/null |
    python3 -c 'import json, sys; print(sum(t["status"] == "at head" for t in json.load(sys.stdin)["targets"]))')
  [[ $at_head == "$TENANTS" ]] || { echo "run.sh: $1 left $((TENANTS - at_head)) databases behind" >&2; exit 1; }
}
serial() {
  while read -r url; do "$MIG" up --plan "$OUT/plan" --db "$url" >>"$OUT/serial.log"; done <"$OUT/targets"
}
fleet() {
  "$MIG" up --plan "$OUT/plan" --targets "$OUT/targets" --jobs "$1" >"$OUT/fleet_$1.log" 2>&1
}
timed() {
  local start
  start=$(now)
  "$@"
  echo "$(now) - $start" | bc
}

declare -A times
for run in $(seq "$RUNS"); do
  for mode in serial $JOBS; do
    reset
    if [[ $mode == serial ]]; then t=$(timed serial); else t=$(timed fleet "$mode"); fi
    check "$mode"
    times[$mode]+="$t "
    printf '   run %d: %-6s %.2f s\n' "$run" "$mode" "$t"
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
serial_median=$(median ${times[serial]})
{
  printf '== median of %d runs, %d databases: shell loop of mig up %.2f s\n' "$RUNS" "$TENANTS" "$serial_median"
  for jobs in $JOBS; do
    m=$(median ${times[$jobs]})
    printf '   mig up --targets --jobs %s: %.2f s, %.2fx the loop'"'"'s speed\n' "$jobs" "$m" \
      "$(echo "$serial_median / $m" | bc -l)"
  done
} | tee "$OUT/result.txt"
