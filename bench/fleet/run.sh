#!/usr/bin/env bash
# Fleet apply: a history of 20 small migrations (generate.sh) applied to TENANTS databases,
# and to TENANTS tenant schemas of one database, on one throwaway PostgreSQL: by
# `mig up --targets --jobs N` for each N of JOBS, against the floor, a sequential shell loop
# of `psql -f` of the same SQL (`mig sql`; for a schema, with "public" replaced by the
# tenant's). Each run resets every target first. See bench/README.md.
#
#   bash bench/fleet/run.sh                      # 200 databases and 200 schemas, 3 runs
#   TENANTS=20 RUNS=1 bash bench/fleet/run.sh    # quick
#
# Settings (environment): TENANTS (200), RUNS (3), JOBS ("1 4 8"), KINDS ("databases
# schemas"), MIG (build/mig), OUT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

TENANTS=${TENANTS:-200}
RUNS=${RUNS:-3}
JOBS=${JOBS:-1 4 8}
KINDS=${KINDS:-databases schemas}
OUT=${OUT:-$here/out}

now() { date +%s.%N; }

rm -rf "$OUT"
mkdir -p "$OUT"
bash "$here/generate.sh" "$OUT/migrations"
"$MIG" compile "$OUT/migrations" -o "$OUT/plan" >/dev/null
"$MIG" sql "$OUT/migrations" >"$OUT/up.sql"
migrations=$(ls "$OUT/migrations" | wc -l)
tables=$(grep -c '^CREATE TABLE' "$OUT/up.sql")

# Databases tenant_1 ... tenant_N; schemas tenant_1 ... tenant_N of database `schemas`, each
# with the SQL of its own to run with psql.
sql -d postgres -c "CREATE DATABASE schemas"
mkdir -p "$OUT/schema_sql"
for i in $(seq "$TENANTS"); do
  sql -d postgres -c "CREATE DATABASE tenant_$i"
  url_of "tenant_$i" >>"$OUT/databases"
  echo "tenant_$i" >>"$OUT/schemas"
  { echo "CREATE SCHEMA tenant_$i;"; sed "s/\"public\"\./\"tenant_$i\"./g" "$OUT/up.sql"; } \
    >"$OUT/schema_sql/tenant_$i.sql"
done
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(postgres --version)," \
  "$TENANTS targets of each kind, $migrations migrations ($(grep -c '^-- step' "$OUT/up.sql") steps)"

# Every target back to empty: no table, no history.
reset() {
  if [[ $1 == databases ]]; then
    for i in $(seq "$TENANTS"); do
      PGOPTIONS="-c client_min_messages=warning" sql -d "tenant_$i" \
        -c "DROP SCHEMA IF EXISTS mig CASCADE" -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public"
    done
  else
    for i in $(seq "$TENANTS"); do echo "DROP SCHEMA IF EXISTS tenant_$i CASCADE;"; done |
      PGOPTIONS="-c client_min_messages=warning" sql -d schemas
  fi
}
# Each target must have every table afterwards.
check() {
  local made
  if [[ $1 == databases ]]; then
    made=0
    for i in $(seq "$TENANTS"); do
      made=$((made + $(sql -d "tenant_$i" -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")))
    done
  else
    made=$(sql -d schemas -At -c "SELECT count(*) FROM pg_tables WHERE schemaname LIKE 'tenant\_%' AND tablename <> 'mig_history'")
  fi
  [[ $made == $((TENANTS * tables)) ]] ||
    { echo "run.sh: $1 $2 made $made tables, not $((TENANTS * tables))" >&2; exit 1; }
}
psql_loop() {
  if [[ $1 == databases ]]; then
    for i in $(seq "$TENANTS"); do sql -d "tenant_$i" -f "$OUT/up.sql" >>"$OUT/psql.log"; done
  else
    for i in $(seq "$TENANTS"); do sql -d schemas -f "$OUT/schema_sql/tenant_$i.sql" >>"$OUT/psql.log"; done
  fi
}
fleet() {
  if [[ $1 == databases ]]; then
    "$MIG" up --plan "$OUT/plan" --targets "$OUT/databases" --jobs "$2" >"$OUT/fleet.log" 2>&1
  else
    "$MIG" up --plan "$OUT/plan" --tenant-schemas --targets "$OUT/schemas" --db "$(url_of schemas)" \
      --jobs "$2" >"$OUT/fleet.log" 2>&1
  fi
}
timed() {
  local start
  start=$(now)
  "$@"
  echo "$(now) - $start" | bc
}

declare -A times
for run in $(seq "$RUNS"); do
  for kind in $KINDS; do
    for mode in psql $JOBS; do
      reset "$kind"
      if [[ $mode == psql ]]; then t=$(timed psql_loop "$kind"); else t=$(timed fleet "$kind" "$mode"); fi
      check "$kind" "$mode"
      times[$kind $mode]+="$t "
      printf '   run %d: %-9s %-5s %7.2f s  (load %s)\n' "$run" "$kind" "$mode" "$t" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
{
  echo "== median of $RUNS runs, $TENANTS targets x $migrations migrations, load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  for kind in $KINDS; do
    floor=$(median ${times[$kind psql]})
    printf '   %-9s loop of psql -f: %7.2f s (%s)\n' "$kind" "$floor" "${times[$kind psql]% }"
    for jobs in $JOBS; do
      m=$(median ${times[$kind $jobs]})
      printf '   %-9s mig up --jobs %s: %7.2f s (%s), %.2fx the loop'"'"'s time\n' "$kind" "$jobs" "$m" \
        "${times[$kind $jobs]% }" "$(echo "$m / $floor" | bc -l)"
    done
  done
} | tee "$OUT/result.txt"
