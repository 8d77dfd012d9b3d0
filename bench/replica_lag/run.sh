#!/usr/bin/env bash
# Replica lag bound: a ROWS-row backfill on a primary with one streaming standby whose replay
# is paused PAUSE s out of every PAUSE + PLAY s, applied by `mig up` without a bound and with
# `--max-replica-lag-bytes BOUND`, alternately, each into a fresh database. Reports the
# largest lag pg_stat_replication showed (sampled every 100 ms) and the time. See
# bench/README.md.
#
#   bash bench/replica_lag/run.sh                      # 2,000,000 rows, 16 MB, 3 rounds
#   ROWS=200000 ROUNDS=1 bash bench/replica_lag/run.sh
#
# Settings (environment): ROWS (2000000), BOUND (16777216 bytes), PAUSE (2 s), PLAY (1 s),
# ROUNDS (3), MIG (build/mig), OUT (results dir).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/scratch_server.sh"

ROWS=${ROWS:-2000000}
BOUND=${BOUND:-16777216}
PAUSE=${PAUSE:-2}
PLAY=${PLAY:-1}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-$here/out}

now() { date +%s.%N; }
# The scratch cluster belongs to `postgres` when mig runs as root; so must its standby.
as_owner() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }

rm -rf "$OUT"
mkdir -p "$OUT"
((EUID == 0)) && chown postgres "$OUT"
standby=$OUT/standby
"$MIG" compile "$here/migrations" -o "$OUT/plan" >/dev/null

background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -f $standby/postmaster.pid ]] && as_owner pg_ctl -D "$standby" -m immediate -w stop >/dev/null
  true
}
trap cleanup EXIT

# The standby reports its progress every second (default 10 s), so that pg_stat_replication
# sees it caught up soon after a pause even when no new WAL arrives.
as_owner pg_basebackup -D "$standby" -R -X stream --no-sync -h "$PGHOST" -U postgres
as_owner pg_ctl -D "$standby" -l "$OUT/standby.log" -w -t 60 -o \
  "-k $standby -c listen_addresses='' -c fsync=off -c cluster_name=standby1 -c wal_receiver_status_interval=1" \
  start >/dev/null
standby_sql() { sql -h "$standby" -d postgres "$@"; }
lag_sql="SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), -1)::bigint
         FROM pg_stat_replication"

echo "== $(nproc) cores, $(postgres --version), $ROWS rows, replay paused ${PAUSE} s of every $((PAUSE + PLAY)) s, bound $BOUND bytes"

# run FORM ROUND: one backfill; sets `seconds`, `lag` (the largest, in bytes), `pauses` and
# `batch_wal` (the WAL of one batch, on average).
run() {
  local form=$1 db=$1_$2 bound=() start end
  [[ $form == bounded ]] && bound=(--max-replica-lag-bytes "$BOUND")
  sql -d postgres -c "CREATE DATABASE $db"
  "$MIG" up --plan "$OUT/plan" --db "$(url_of "$db")" --to 1 >/dev/null
  sql -d "$db" -c "INSERT INTO items (id) SELECT generate_series(1, $ROWS)" -c "VACUUM ANALYZE items"
  until [[ $(sql -d postgres -At -c "$lag_sql") == 0 ]]; do sleep 0.2; done

  (while sleep 0.1; do sql -d postgres -At -c "$lag_sql"; done) >"$OUT/lag_$db.txt" &
  background+=($!)
  (while true; do
     standby_sql -c "SELECT pg_wal_replay_pause()" >/dev/null; sleep "$PAUSE"
     standby_sql -c "SELECT pg_wal_replay_resume()" >/dev/null; sleep "$PLAY"
   done) &
  background+=($!)
  start=$(now)
  start_lsn=$(sql -d postgres -At -c "SELECT pg_current_wal_lsn()")
  "$MIG" up --plan "$OUT/plan" --db "$(url_of "$db")" "${bound[@]}" >"$OUT/mig_$db.log"
  end=$(now)
  batch_wal=$(sql -d postgres -At -c \
    "SELECT (pg_wal_lsn_diff(pg_current_wal_lsn(), '$start_lsn') / ceil($ROWS / 10000.0))::bigint")
  kill "${background[@]}"
  wait "${background[@]}" 2>/dev/null || true
  background=()
  standby_sql -c "SELECT pg_wal_replay_resume()" >/dev/null

  [[ $(sql -d "$db" -At -c "SELECT count(*) FROM items WHERE n = 1") == "$ROWS" ]] ||
    { echo "run.sh: $db: not every row was changed once" >&2; exit 1; }
  seconds=$(echo "$end - $start" | bc)
  lag=$(sort -n "$OUT/lag_$db.txt" | tail -1)
  pauses=$(grep -c 'resumed after' "$OUT/mig_$db.log" || true)
  sql -d postgres -c "DROP DATABASE $db"
}

for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then forms=(unbounded bounded); else forms=(bounded unbounded); fi
  for form in "${forms[@]}"; do
    run "$form" "$round"
    printf '   round %d %-9s %6.1f s, largest lag %5d MB (%d bytes), %d pauses, %d kB of WAL a batch\n' \
      "$round" "$form" "$seconds" $((lag / 1048576)) "$lag" "$pauses" $((batch_wal / 1024)) |
      tee -a "$OUT/result.txt"
  done
done
