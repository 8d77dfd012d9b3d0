#!/usr/bin/env python3
"""Writes COUNT small migrations into DIR, each one transaction (no concurrent index, no
backfill): a new table, and every other migration also a column added to the table before
it or an index on it, so that a migration is one to three statements."""
import argparse
import pathlib
import shutil


def migration(i: int) -> str:
    lines = [
        f"create table t{i} {{",
        "  id         bigint primary key",
        "  name       text not null",
        "  created_at timestamptz not null default now()",
        "}",
    ]
    if i > 1 and i % 4 == 2:
        lines.append(f"alter table t{i - 1} add column note text")
    if i % 4 == 0:
        lines.append(f"create index t{i}_name_idx on t{i} (name)")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    for i in range(1, args.count + 1):
        (args.dir / f"{i:04}_table_{i}.mig").write_text(migration(i))


if __name__ == "__main__":
    main()
