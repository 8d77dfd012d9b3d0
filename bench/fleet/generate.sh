#!/usr/bin/env bash
# Writes the fleet benchmark's history into DIR: 20 small migrations of a project tracker,
# five for each of four tables, each table referring to the one before it: create the
# table, add a column with a constant default, build an index concurrently, add two
# nullable columns. No backfill: `mig sql` writes one as a template for a runner's batches,
# which psql cannot run.
#
#   bash bench/fleet/generate.sh DIR
set -euo pipefail

dir=$1
mkdir -p "$dir"
tables=(projects milestones tasks comments)
version=0
write() {
  version=$((version + 1))
  printf '%s\n' "$2" >"$dir/$(printf '%04d' "$version")_$1.mig"
}
previous=
for table in "${tables[@]}"; do
  reference=
  [[ -n $previous ]] && reference="
  ${previous%s}_id bigint not null references $previous (id) on delete cascade"
  write "create_$table" "create table $table {
  id bigint primary key generated always as identity$reference
  title text not null
  created_at timestamptz not null default now()
}"
  write "${table}_state" "alter table $table add column state text not null default 'open'"
  write "${table}_state_idx" "create index concurrently ${table}_state_idx on $table (state)"
  write "${table}_title_key" "alter table $table add column title_key text"
  write "${table}_archived_at" "alter table $table add column archived_at timestamptz"
  previous=$table
done
