#!/usr/bin/env python3
"""Writes a history of COUNT migrations into DIR: one new table each, and every few
migrations also an added column, a concurrent index on an older table, or a table with a
foreign key to the one before it and its index, so that the compiler resolves more than
create table."""
import argparse
import pathlib
import shutil


def migration(i: int) -> str:
    lines = []
    if i % 10 == 5 and i > 1:
        lines += [
            f"create table t{i} {{",
            "  id        bigint primary key generated always as identity",
            f"  parent_id bigint not null references t{i - 1} (id) on delete cascade",
            "  name      text not null",
            "}",
            f"create index t{i}_parent_id_idx on t{i} (parent_id)",
        ]
    else:
        lines += [
            f"create table t{i} {{",
            "  id         bigint primary key generated always as identity",
            "  name       text not null",
            "  created_at timestamptz not null default now()",
            "  unique (name)",
            "}",
        ]
    if i % 10 == 3 and i > 1:
        lines.append(f"alter table t{i - 1} add column note text")
    if i % 10 == 7 and i > 3:
        lines.append(f"create index concurrently t{i - 3}_created_at_idx on t{i - 3} (created_at)")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    for i in range(1, args.count + 1):
        (args.dir / f"{i:05d}_create_t{i}.mig").write_text(migration(i))


if __name__ == "__main__":
    main()
