#!/usr/bin/env python3
"""Writes a corpus of realistic migrations for the lint benchmark.

OUT/migrations/NNNN_name.mig  -- one .mig migration each, a history that compiles
OUT/sql/NNNN_name.sql         -- the same statements as plain SQL, one file per migration

The history grows an application schema: tables with identity keys, foreign keys and
defaults; columns added with and without defaults; indexes plain and concurrent; check and
foreign key constraints (some `not valid` and validated later); renames; backfills; type
changes; `set not null`; dropped columns; raw SQL (functions, triggers, views). About a
third of the migrations hold a hazard a linter should report. Deterministic: same seed,
same corpus.
"""

import argparse
import os
import random
import shutil

ADJECTIVES = ["active", "billing", "customer", "audit", "shipping", "payment", "catalog",
              "session", "report", "invoice", "ledger", "inventory", "support", "message"]
NOUNS = ["accounts", "orders", "items", "events", "notes", "tickets", "entries", "tokens",
         "devices", "contacts", "refunds", "batches", "jobs", "logs"]


class Table:
    def __init__(self, name):
        self.name = name
        self.columns = {}  # name -> sql type
        self.nullable_text = []  # nullable text columns: backfill and set-not-null targets
        self.free = []  # columns no index or constraint uses: rename and drop targets
        self.pending_checks = []  # constraints added `not valid`, not yet validated


class Corpus:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tables = []
        self.counter = 0
        self.migrations = []  # (name, mig text, sql text, no_transaction)

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def pick(self):
        return self.rng.choice(self.tables)

    # Each kind returns (name, .mig statements, SQL statements, needs no transaction).

    def create_table(self):
        t = Table(f"{self.rng.choice(ADJECTIVES)}_{self.rng.choice(NOUNS)}_{self.counter + 1}")
        self.counter += 1
        mig = [f"create table {t.name} {{", "  id bigint primary key generated always as identity"]
        sql = [f"CREATE TABLE {t.name} (", "  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY"]
        if self.tables and self.rng.random() < 0.6:
            parent = self.pick()
            mig.append(f"  {parent.name}_id bigint not null references {parent.name} (id) "
                       "on delete cascade")
            sql.append(f"  {parent.name}_id bigint NOT NULL REFERENCES {parent.name} (id) "
                       "ON DELETE CASCADE")
            t.columns[f"{parent.name}_id"] = "bigint"
        columns = [("name", "text not null", "text NOT NULL"),
                   ("status", "text not null default 'new'", "text NOT NULL DEFAULT 'new'"),
                   ("amount", "numeric(12, 2)", "numeric(12, 2)"),
                   ("created_at", "timestamptz not null default now()",
                    "timestamptz NOT NULL DEFAULT now()"),
                   ("updated_at", "timestamptz", "timestamptz")]
        if self.rng.random() < 0.3:
            columns.append(("code", "varchar(32)", "varchar(32)"))  # a type-hygiene finding
        if self.rng.random() < 0.2:
            columns.append(("seen_at", "timestamp", "timestamp"))  # another one
        for name, mig_type, sql_type in columns:
            mig.append(f"  {name} {mig_type}")
            sql.append(f"  {name} {sql_type}")
            t.columns[name] = mig_type.split()[0]
        mig.append("}")
        self.tables.append(t)
        statements_mig = ["\n".join(mig)]
        statements_sql = [sql[0] + "\n" + ",\n".join(sql[1:]) + "\n)"]
        if self.rng.random() < 0.5:  # an index on the new table, in the same migration
            index = f"{t.name}_created_at_idx"
            statements_mig.append(f"create index {index} on {t.name} (created_at)")
            statements_sql.append(f"CREATE INDEX {index} ON {t.name} (created_at)")
        return f"create_{t.name}", statements_mig, statements_sql, False

    def add_column(self):
        t = self.pick()
        column = self.fresh("col")
        choice = self.rng.random()
        if choice < 0.35:
            mig_type, sql_type = "text not null default 'none'", "text NOT NULL DEFAULT 'none'"
        elif choice < 0.6:
            mig_type, sql_type = "integer not null default 0", "integer NOT NULL DEFAULT 0"
        elif choice < 0.7:
            mig_type, sql_type = "boolean not null default false", "boolean NOT NULL DEFAULT false"
        else:
            mig_type, sql_type = "text", "text"
            t.nullable_text.append(column)
        t.columns[column] = mig_type.split()[0]
        t.free.append(column)
        return (f"add_{t.name}_{column}", [f"alter table {t.name} add column {column} {mig_type}"],
                [f"ALTER TABLE {t.name} ADD COLUMN {column} {sql_type}"], False)

    def create_index(self, concurrently):
        t = self.pick()
        column = self.rng.choice(list(t.columns))
        if column in t.free:
            t.free.remove(column)
        index = self.fresh(f"{t.name}_idx")
        if column in t.nullable_text:
            t.nullable_text.remove(column)
        word = " concurrently" if concurrently else ""
        where = " where status <> 'deleted'" if "status" in t.columns and \
            self.rng.random() < 0.3 else ""
        return (f"index_{index}", [f"create index{word} {index} on {t.name} ({column}){where}"],
                [f"CREATE INDEX{word.upper()} {index} ON {t.name} ({column}){where}"],
                concurrently)

    def add_constraint(self):
        t = self.pick()
        kind = self.rng.random()
        if kind < 0.4 and "amount" in t.columns:
            name = self.fresh(f"{t.name}_amount_positive")
            valid = self.rng.random() < 0.6
            suffix = " not valid" if valid else ""
            if valid:
                t.pending_checks.append(name)
            return (f"check_{name}", [f"alter table {t.name} add check {name} (amount >= 0)"
                                      f"{suffix}"],
                    [f"ALTER TABLE {t.name} ADD CONSTRAINT {name} CHECK (amount >= 0)"
                     f"{suffix.upper()}"], False)
        if kind < 0.8 and len(self.tables) > 1:
            parent = self.pick()
            column = self.fresh(f"{parent.name}_ref")
            t.columns[column] = "bigint"
            name = f"{column}_fkey"
            t.pending_checks.append(name)
            return (f"fk_{name}",
                    [f"alter table {t.name} add column {column} bigint",
                     f"alter table {t.name} add foreign key {name} ({column}) references "
                     f"{parent.name} (id) not valid"],
                    [f"ALTER TABLE {t.name} ADD COLUMN {column} bigint",
                     f"ALTER TABLE {t.name} ADD CONSTRAINT {name} FOREIGN KEY ({column}) "
                     f"REFERENCES {parent.name} (id) NOT VALID"], False)
        return self.add_column()

    def validate(self):
        candidates = [t for t in self.tables if t.pending_checks]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        name = t.pending_checks.pop(0)
        return (f"validate_{name}", [f"alter table {t.name} validate constraint {name}"],
                [f"ALTER TABLE {t.name} VALIDATE CONSTRAINT {name}"], False)

    def rename_column(self):
        candidates = [t for t in self.tables if t.free]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        old = t.free.pop()
        new = self.fresh("renamed")
        t.columns[new] = t.columns.pop(old)
        t.free.append(new)
        if old in t.nullable_text:
            t.nullable_text[t.nullable_text.index(old)] = new
        return (f"rename_{t.name}_{old}", [f"alter table {t.name} rename column {old} to {new}"],
                [f"ALTER TABLE {t.name} RENAME COLUMN {old} TO {new}"], False)

    def backfill(self):
        candidates = [t for t in self.tables if t.nullable_text]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        column = self.rng.choice(t.nullable_text)
        return (f"backfill_{t.name}_{column}",
                [f"backfill {t.name} set {column} = lower(name) where {column} is null batch 1000"],
                [f"UPDATE {t.name} SET {column} = lower(name) WHERE {column} IS NULL"], False)

    def set_not_null(self):
        candidates = [t for t in self.tables if t.nullable_text]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        column = t.nullable_text.pop(0)
        return (f"not_null_{t.name}_{column}",
                [f"alter table {t.name} alter column {column} set not null"],
                [f"ALTER TABLE {t.name} ALTER COLUMN {column} SET NOT NULL"], False)

    def drop_column(self):
        candidates = [t for t in self.tables if t.free]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        column = t.free.pop(0)
        del t.columns[column]
        if column in t.nullable_text:
            t.nullable_text.remove(column)
        return (f"drop_{t.name}_{column}", [f"alter table {t.name} drop column {column}"],
                [f"ALTER TABLE {t.name} DROP COLUMN {column}"], False)

    def change_type(self):
        candidates = [t for t in self.tables if t.columns.get("code") == "varchar(32)"]
        if not candidates:
            return self.add_column()
        t = self.rng.choice(candidates)
        t.columns["code"] = "text"
        return (f"widen_{t.name}_code", [f"alter table {t.name} alter column code type text"],
                [f"ALTER TABLE {t.name} ALTER COLUMN code TYPE text"], False)

    def alter_block(self):
        t = self.pick()
        a, b = self.fresh("note"), self.fresh("flag")
        t.columns[a] = "text"
        t.columns[b] = "boolean"
        t.free += [a, b]
        t.nullable_text.append(a)
        mig = [f"alter table {t.name} {{\n  add column {a} text\n"
               f"  add column {b} boolean not null default true\n}}"]
        sql = [f"ALTER TABLE {t.name}\n  ADD COLUMN {a} text,\n"
               f"  ADD COLUMN {b} boolean NOT NULL DEFAULT true"]
        return f"extend_{t.name}", mig, sql, False

    def raw_sql(self):
        t = self.pick()
        if self.rng.random() < 0.5:
            function = self.fresh(f"{t.name}_touch")
            up = (f"create function {function}() returns trigger\n"
                  "  language plpgsql as $$\n  begin\n    new.updated_at := now();\n"
                  "    return new;\n  end\n  $$;\n"
                  f"  create trigger {function}_trigger before update on {t.name}\n"
                  f"    for each row execute function {function}()")
            down = (f"drop trigger if exists {function}_trigger on {t.name};\n"
                    f"  drop function if exists {function}()")
            name = f"trigger_{function}"
        else:
            view = self.fresh(f"{t.name}_recent")
            up = f"create view {view} as\n    select id, created_at from {t.name}\n" \
                 "    where created_at > now() - interval '7 days'"
            down = f"drop view if exists {view}"
            name = f"view_{view}"
        return (name, [f"sql {{\n  {up}\n}} down {{\n  {down}\n}}"],
                [up.replace("\n  ", "\n")], False)

    def generate(self, count):
        kinds = [(self.create_table, 12), (self.add_column, 14),
                 (lambda: self.create_index(False), 8), (lambda: self.create_index(True), 10),
                 (self.add_constraint, 9), (self.validate, 6), (self.rename_column, 5),
                 (self.backfill, 8), (self.set_not_null, 3), (self.drop_column, 3),
                 (self.change_type, 3), (self.alter_block, 5), (self.raw_sql, 8)]
        functions = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        for number in range(1, count + 1):
            kind = self.create_table if len(self.tables) < 3 else \
                self.rng.choices(functions, weights)[0]
            name, mig, sql, no_transaction = kind()
            self.migrations.append((f"{number:04}_{name[:80]}", mig, sql, no_transaction))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="directory to (re)create")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    corpus = Corpus(args.seed)
    corpus.generate(args.count)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(os.path.join(args.out, "migrations"))
    os.makedirs(os.path.join(args.out, "sql"))
    statements = 0
    for name, mig, sql, no_transaction in corpus.migrations:
        with open(os.path.join(args.out, "migrations", name + ".mig"), "w") as f:
            f.write("\n".join(mig) + "\n")
        with open(os.path.join(args.out, "sql", name + ".sql"), "w") as f:
            if no_transaction:
                f.write("-- mig:no-transaction\n")
            f.write("".join(s + ";\n" for s in sql))
        statements += len(sql)
    print(f"wrote {len(corpus.migrations)} migrations ({statements} statements) to {args.out}")


if __name__ == "__main__":
    main()
