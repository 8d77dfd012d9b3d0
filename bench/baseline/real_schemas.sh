#!/usr/bin/env bash
# `mig baseline` on real projects' schemas: each project's upgrade migrations are run by
# psql into a database (statements that fail, such as LOCK outside a transaction or
# templated SQL, are skipped), that database is baselined, the source is applied by
# `mig up` to an empty database, and the two `pg_dump --schema-only` are compared.
#
#   bash bench/baseline/real_schemas.sh          # MIRRORS=/work/.mirror
#
# Needs build/mig and the corpus of bench/lint/real_corpus.py (made here when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
mig=${MIG:-$PWD/build/mig}
real=$PWD/bench/lint/out/real
[ -d "$real" ] || python3 bench/lint/real_corpus.py "$real" --mirrors "${MIRRORS:-/work/.mirror}"
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT

cat > "$work/one.sh" <<'ONE'
set -uo pipefail
pg=/usr/lib/postgresql/15/bin
project=$1 work=$2 mig=$3
url() { echo "${DATABASE_URL/\/postgres\?//$1?}"; }
$pg/psql -q "$DATABASE_URL" -c "create database original" -c "create database rebuilt" >/dev/null
failed=$($pg/psql -q "$(url original)" -f "$work/$project.sql" 2>&1 >/dev/null | grep -c ERROR)
mkdir -p "$work/$project"
$mig baseline "$work/$project" --db "$(url original)" > "$work/$project.notes" 2>&1
as_sql=$(grep -c "written as sql" "$work/$project.notes")
not_written=$(grep -c "not written" "$work/$project.notes")
if ! $mig up "$work/$project" --db "$(url rebuilt)" > "$work/$project.up" 2>&1; then
  echo "| $project | $failed | $as_sql | $not_written | mig up failed: $(grep -m1 error: "$work/$project.up") |"
  exit 0
fi
dump() { $pg/pg_dump --schema-only -N mig "$(url "$1")" | grep -v '^--\|^$\|restrict \|OWNER TO'; }
dump original > "$work/$project.a"; dump rebuilt > "$work/$project.b"
differ=$(diff "$work/$project.a" "$work/$project.b" | grep -c '^[<>]')
echo "| $project | $failed | $as_sql | $not_written | $(wc -l < "$work/$project.a") lines, $differ differ |"
ONE

echo "mig: $mig ($(git log -1 --format=%h))"
echo "| project | statements psql could not run | written as sql { } | not written | pg_dump --schema-only, original against rebuilt |"
echo "|---|---:|---:|---:|---|"
for project in $(ls "$real" | sed 's/__.*//' | sort -u); do
  # supabase auth's files name their schema as a Go template: `auth` here.
  grep -q '{{ *index .Options "Namespace" *}}' "$real/${project}__"* && echo "create schema auth;" \
    > "$work/$project.sql" || : > "$work/$project.sql"
  for f in $(ls "$real/${project}__"* | sort); do
    awk '/^-- \+goose Down/{exit} {print}' "$f"  # goose files: the upgrade part
    echo ";"
  done | sed 's/{{ *index .Options "Namespace" *}}/auth/g' >> "$work/$project.sql"
  "$mig" scratch -- bash "$work/one.sh" "$project" "$work" "$mig" 2>/dev/null | grep '^|'
done
