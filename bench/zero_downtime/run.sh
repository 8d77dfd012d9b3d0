#!/usr/bin/env bash
# Zero-downtime benchmark: every scenario of issue 4 as naive SQL (psql) and as a .mig
# migration applied by `mig up`, under a fixed-rate pgbench load of single-row reads and
# writes by primary key. See bench/README.md.
#
#   bash bench/zero_downtime/run.sh                  # 2,000,000 rows, about 10 minutes
#   ROWS=200000 bash bench/zero_downtime/run.sh      # quick run
#
# Settings (environment): ROWS (2000000), RATE (1000 transactions/s), CLIENTS (8),
# WARMUP (5 s of load before the change), COOLDOWN (3 s after), SCENARIOS (all, or a
# space-separated subset), FORMS (all, or a subset of naive, naive_offset, mig),
# LOCK_TIMEOUT_SWEEP (lock_timeout values in ms to try on the long_transaction scenario
# through mig; "" to skip), ROUNDS (1: how often every scenario runs, its forms one after
# the other in each round), MIG (build/mig), OUT (results dir).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

ROWS=${ROWS:-2000000}
RATE=${RATE:-1000}
CLIENTS=${CLIENTS:-8}
WARMUP=${WARMUP:-5}
COOLDOWN=${COOLDOWN:-3}
SCENARIOS=${SCENARIOS:-index add_column_default set_not_null foreign_key backfill long_transaction}
LOCK_TIMEOUT_SWEEP=${LOCK_TIMEOUT_SWEEP-50 200 1000}
ROUNDS=${ROUNDS:-1}
OUT=${OUT:-$here/out}

export PGAPPNAME=mig-bench
now() { date +%s.%N; }

rm -rf "$OUT"
mkdir -p "$OUT/plans" "$OUT/runs"
results=$OUT/results.jsonl
: >"$results"

background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== $(nproc) cores, $(postgres --version), $ROWS rows, $RATE tx/s from $CLIENTS clients"
sql -d postgres -At -c "SELECT name || '=' || setting FROM pg_settings
  WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'max_wal_size')" |
  tr '\n' ' '
echo

# Every scenario's migrations/ starts with the same 0001 as base/, so all of them can be
# applied on top of the one template database.
for scenario in $SCENARIOS; do
  cmp -s "$here/base/0001_create_tables.mig" \
    "$here/scenarios/$scenario/migrations/0001_create_tables.mig" ||
    { echo "run.sh: $scenario/migrations/0001_create_tables.mig differs from base/" >&2; exit 2; }
  "$MIG" compile "$here/scenarios/$scenario/migrations" -o "$OUT/plans/$scenario" >/dev/null
done

echo "== loading the template database ($ROWS rows)"
started=$(now)
sql -d postgres -c "CREATE DATABASE bench_base"
"$MIG" up "$here/base" --db "$(url_of bench_base)" >"$OUT/base.log"
sql -d bench_base <<SQL
INSERT INTO orgs SELECT g, 'org ' || g FROM generate_series(1, 1000) AS g;
INSERT INTO accounts (id, org_id, email, balance, created_at)
SELECT g, 1 + g % 1000, 'user' || g || '@example' || g % 97 || '.com', g % 1000,
       now() - g * interval '1 second'
FROM generate_series(1, $ROWS) AS g;
VACUUM (FREEZE, ANALYZE);
SQL
sql -d postgres -c "CHECKPOINT"
printf '   loaded in %.0f s\n' "$(echo "$(now) - $started" | bc)"

# run_case SCENARIO FORM [MIG OPTIONS...]: FORM is the name of a naive*.sql file of the
# scenario, run by psql, or mig (the scenario's migrations, applied by mig up).
run_case() {
  local scenario=$1 form=$2
  shift 2
  local options=("$@")
  local sdir=$here/scenarios/$scenario
  local label=$form${options[*]:+ ${options[*]}}
  local tag
  tag=$(tr -c 'a-z0-9\n' '_' <<<"${scenario}__${label}__$round")
  local db=b_$((RANDOM))_${tag:0:40}
  local rdir=$OUT/runs/$tag
  mkdir -p "$rdir"
  local PREP_TO='' BLOCKER_SECONDS=0
  [[ -f $sdir/scenario.conf ]] && source "$sdir/scenario.conf"

  sql -d postgres -c "CREATE DATABASE \"$db\" TEMPLATE bench_base"
  if [[ -n $PREP_TO ]]; then
    "$MIG" up --plan "$OUT/plans/$scenario" --to "$PREP_TO" --db "$(url_of "$db")" >"$rdir/prep.log"
  fi
  sql -d "$db" -c "VACUUM ANALYZE"

  local load_start
  load_start=$(now)
  pgbench -n -c "$CLIENTS" -j 2 -R "$RATE" -T 3600 -D rows="$ROWS" \
    -f "$here/lib/read.sql@1" -f "$here/lib/write.sql@1" \
    --log --log-prefix="$rdir/tx" "$db" >"$rdir/pgbench.log" 2>&1 &
  local pgbench_pid=$!
  background+=("$pgbench_pid")
  sleep "$WARMUP"

  local blocker_pid=''
  if ((BLOCKER_SECONDS > 0)); then
    PGAPPNAME=nightly-report sql -d "$db" -c "BEGIN" -c "SELECT balance FROM accounts WHERE id = 1" \
      -c "SELECT pg_sleep($BLOCKER_SECONDS)" -c "COMMIT" >/dev/null &
    blocker_pid=$!
    background+=("$blocker_pid")
    sleep 1
  fi

  local ddl_start ddl_end status=0
  ddl_start=$(now)
  if [[ $form == mig ]]; then
    "$MIG" up --plan "$OUT/plans/$scenario" --db "$(url_of "$db")" "${options[@]}" \
      >"$rdir/change.log" 2>&1 || status=$?
  else
    sql -d "$db" -f "$sdir/$form.sql" >"$rdir/change.log" 2>&1 || status=$?
  fi
  ddl_end=$(now)
  [[ -n $blocker_pid ]] && { wait "$blocker_pid" || true; }
  sleep "$COOLDOWN"
  kill -TERM "$pgbench_pid" 2>/dev/null || true
  wait "$pgbench_pid" 2>/dev/null || true

  local result=failed
  if ((status == 0)); then
    [[ $(sql -d "$db" -At -f "$sdir/verify.sql") == t ]] && result=ok || result='not applied'
  fi
  local rows_per_s=null
  if [[ $scenario == backfill ]]; then
    rows_per_s=$(echo "$ROWS / ($ddl_end - $ddl_start)" | bc -l)
  fi
  python3 "$here/lib/analyze.py" --log-prefix "$rdir/tx" --load-start "$load_start" \
    --ddl-start "$ddl_start" --ddl-end "$ddl_end" \
    --extra "$(printf '{"scenario": "%s", "form": "%s", "round": %s, "result": "%s", "rows_per_s": %s}' \
      "$scenario" "$label" "$round" "$result" "$rows_per_s")" | tee -a "$results" >"$rdir/result.json"
  python3 - "$rdir/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"   {r['scenario']:<18} {r['form']:<28} {r['ddl_seconds']:>7.2f} s  worst {r['worst_ms']} ms"
      f"  p99 {r['p99_ms']} ms  >100ms {r['over_100ms']}  >1s {r['over_1s']}  {r['result']}")
PY
  sql -d postgres -c "DROP DATABASE \"$db\""
}

echo "== scenarios"
wanted() { [[ -z ${FORMS:-} || " $FORMS " == *" $1 "* ]]; }
for round in $(seq "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    for naive in "$here/scenarios/$scenario"/naive*.sql; do
      form=$(basename "$naive" .sql)
      if wanted "$form"; then run_case "$scenario" "$form"; fi
    done
    if wanted mig; then run_case "$scenario" mig; fi
    if [[ $scenario == long_transaction ]]; then
      for timeout in $LOCK_TIMEOUT_SWEEP; do
        run_case "$scenario" mig --lock-timeout "$timeout" --retries 30
      done
    fi
  done
done

python3 "$here/lib/report.py" "$results" | tee "$OUT/results.md"
if command -v gnuplot >/dev/null; then
  python3 "$here/lib/plot.py" "$OUT" "$OUT/latency.png"
else
  echo "no gnuplot: no latency plot (apt-get install gnuplot-nox)" >&2
fi
