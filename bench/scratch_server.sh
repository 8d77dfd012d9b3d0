# Sourced by the benchmarks that need a PostgreSQL: runs the sourcing script again inside
# `mig scratch` (a throwaway server), then sets PATH to PostgreSQL 15's programs, PGHOST and
# PGUSER to that server, and defines `url_of DB` and `sql ARGS...` (psql, stop on error).
# Expects `here` (the benchmark's folder) and `repo` to be set; sets MIG (build/mig).

export MIG=${MIG:-$repo/build/mig}
[[ -x $MIG ]] || { echo "run.sh: no $MIG; build first (cmake --build build)" >&2; exit 2; }

# Outer half: start a throwaway PostgreSQL through mig and run the inner half inside it.
if [[ ${MIG_BENCH_INNER:-} != 1 ]]; then
  exec "$MIG" scratch -- env MIG_BENCH_INNER=1 bash "$0" "$@"
fi

PGBIN=/usr/lib/postgresql/15/bin
[[ -x $PGBIN/psql ]] || PGBIN=$(pg_config --bindir)
export PATH=$PGBIN:$PATH
# mig scratch's URL: postgresql:///postgres?host=SOCKETDIR&user=postgres
PGHOST=$(sed -n 's/.*[?&]host=\([^&]*\).*/\1/p' <<<"$DATABASE_URL")
export PGHOST PGUSER=postgres
url_of() { echo "postgresql:///$1?host=$PGHOST&user=postgres"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
