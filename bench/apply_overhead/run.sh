#!/usr/bin/env bash
# Apply overhead: `mig up --plan` against `psql -f` of the very same SQL (`mig sql`), on one
# throwaway PostgreSQL, alternating which goes first, each into a fresh database. COUNT
# small migrations, each one transaction. See bench/README.md.
#
#   bash bench/apply_overhead/run.sh                 # 500 migrations, 7 runs each
#   COUNT=200 RUNS=3 bash bench/apply_overhead/run.sh
#
# Settings (environment): COUNT (500), RUNS (7), MIG (build/mig), OUT (results dir).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

COUNT=${COUNT:-500}
RUNS=${RUNS:-7}
OUT=${OUT:-$here/out}

now() { date +%s.%N; }

rm -rf "$OUT"
mkdir -p "$OUT"
python3 "$here/generate.py" "$OUT/migrations" "$COUNT"
"$MIG" compile "$OUT/migrations" -o "$OUT/plan" >/dev/null
"$MIG" sql "$OUT/migrations" >"$OUT/up.sql"
echo "== $(nproc) cores, $(postgres --version), $COUNT migrations, $(grep -c '^-- step' "$OUT/up.sql") steps"

# time_mig DB / time_psql DB: seconds of wall time, process start included.
time_mig() {
  local start
  start=$(now)
  "$MIG" up --plan "$OUT/plan" --db "$(url_of "$1")" >"$OUT/mig_$1.log"
  echo "$(now) - $start" | bc
}
time_psql() {
  local start
  start=$(now)
  sql -d "$1" -f "$OUT/up.sql" >"$OUT/psql_$1.log"
  echo "$(now) - $start" | bc
}

mig_times=()
psql_times=()
for run in $(seq "$RUNS"); do
  sql -d postgres -c "CREATE DATABASE m$run" -c "CREATE DATABASE p$run"
  if ((run % 2)); then
    mig_times+=("$(time_mig "m$run")")
    psql_times+=("$(time_psql "p$run")")
  else
    psql_times+=("$(time_psql "p$run")")
    mig_times+=("$(time_mig "m$run")")
  fi
  # Both must have made the same schema.
  [[ $(sql -d "m$run" -At -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace") == \
     $(sql -d "p$run" -At -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace") ]] ||
    { echo "run.sh: mig and psql made different schemas in run $run" >&2; exit 1; }
  printf '   run %d: mig %.3f s, psql %.3f s\n' "$run" "${mig_times[-1]}" "${psql_times[-1]}"
  sql -d postgres -c "DROP DATABASE m$run" -c "DROP DATABASE p$run"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
mig_median=$(median "${mig_times[@]}")
psql_median=$(median "${psql_times[@]}")
# The machine's speed drifts between runs: the ratio within each run is compared too.
ratios=()
for i in "${!mig_times[@]}"; do ratios+=("$(echo "${mig_times[i]} / ${psql_times[i]}" | bc -l)"); done
printf '== median of %d: mig up %.3f s, psql -f %.3f s, ratio %.3f; median of the ratios within a run %.3f\n' \
  "$RUNS" "$mig_median" "$psql_median" "$(echo "$mig_median / $psql_median" | bc -l)" \
  "$(median "${ratios[@]}")" | tee "$OUT/result.txt"
