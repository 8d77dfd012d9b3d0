#!/usr/bin/env bash
# Offline SQL: `mig sql DIR` against `alembic upgrade head --sql` on the same history of
# COUNT migrations (bench/compile/generate.py, and generate.py here for Alembic), whole
# process wall time, alternating which goes first, median of RUNS. Both outputs are applied
# to a throwaway PostgreSQL to check they make the same tables and indexes.
#
#   bash bench/alembic_sql/run.sh                    # 2,000 revisions, 7 runs each
#   COUNT=500 RUNS=3 bash bench/alembic_sql/run.sh
#
# Settings (environment): COUNT (2000), RUNS (7), MIG (build/mig), OUT (results dir).
# Needs Debian's Alembic: apt-get install python3-alembic (run with /usr/bin/python3).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

COUNT=${COUNT:-2000}
RUNS=${RUNS:-7}
OUT=${OUT:-$here/out}
PYTHON=/usr/bin/python3
"$PYTHON" -c 'import alembic' 2>/dev/null ||
  { echo "run.sh: no Alembic for $PYTHON; apt-get install python3-alembic" >&2; exit 2; }

median() { printf '%s\n' "$@" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }

rm -rf "$OUT"
mkdir -p "$OUT"
"$PYTHON" "$repo/bench/compile/generate.py" "$OUT/migrations" --count "$COUNT"
"$PYTHON" "$here/generate.py" "$OUT/alembic" --count "$COUNT"
echo "== $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $COUNT revisions," \
  "alembic $("$PYTHON" -c 'import alembic; print(alembic.__version__)'), $("$MIG" --version)"

# Timed with bash's own clock, read right before and after the process: a `$(date)` would
# add the start of another process to each measurement.
time_mig() {
  local start end
  start=$EPOCHREALTIME
  "$MIG" sql "$OUT/migrations" >"$OUT/mig.sql"
  end=$EPOCHREALTIME
  echo "$end - $start" | bc
}
time_alembic() {
  local start end
  start=$EPOCHREALTIME
  (cd "$OUT/alembic" && "$PYTHON" -m alembic -c alembic.ini upgrade head --sql >"$OUT/alembic.sql")
  end=$EPOCHREALTIME
  echo "$end - $start" | bc
}

mig_times=()
alembic_times=()
for run in $(seq "$RUNS"); do
  if ((run % 2)); then
    mig_times+=("$(time_mig)")
    alembic_times+=("$(time_alembic)")
  else
    alembic_times+=("$(time_alembic)")
    mig_times+=("$(time_mig)")
  fi
  printf '   run %d: mig sql %.3f s, alembic --sql %.3f s\n' "$run" "${mig_times[-1]}" "${alembic_times[-1]}"
done

# Both scripts must make the same schema: the same tables and indexes by name.
relations() {
  sql -d "$1" -At -c "SELECT relkind::text || ' ' || relname FROM pg_class
    WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i')
      AND relname NOT LIKE 'alembic_version%' ORDER BY 1"
}
sql -d postgres -c "CREATE DATABASE by_mig" -c "CREATE DATABASE by_alembic"
sql -d by_mig -f "$OUT/mig.sql" >/dev/null
sql -d by_alembic -f "$OUT/alembic.sql" >/dev/null
mig_count=$(relations by_mig | wc -l)
# Alembic names unique constraints and keys PostgreSQL's way; mig names them the same way.
diff <(relations by_mig) <(relations by_alembic) >"$OUT/schema.diff" ||
  { echo "run.sh: the two scripts made different schemas, see $OUT/schema.diff" >&2; exit 1; }

ratios=()
for i in "${!mig_times[@]}"; do ratios+=("$(echo "${alembic_times[i]} / ${mig_times[i]}" | bc -l)"); done
mig_median=$(median "${mig_times[@]}")
alembic_median=$(median "${alembic_times[@]}")
printf '== same %d tables and indexes; median of %d: mig sql %.3f s, alembic --sql %.3f s: mig %.1fx faster (median of the ratios within a run %.1fx)\n' \
  "$mig_count" "$RUNS" "$mig_median" "$alembic_median" "$(echo "$alembic_median / $mig_median" | bc -l)" \
  "$(median "${ratios[@]}")" | tee "$OUT/result.txt"
