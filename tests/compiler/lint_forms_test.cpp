// A lint rule reports a hazard whichever form it is written in: a `.mig` statement, a
// statement of a `sql { } down { }` block of a `.mig` file, or a statement of a plain `.sql`
// file. Each case below writes one hazard (or the safe way to write it) in each form it
// applies to, on tables that already exist: in the `.mig` forms they are created by an
// earlier migration (kTables), in a plain `.sql` file every table the file does not create
// exists. A rule needs cases that fire and cases that stay quiet in all three forms, or a
// reason in kFormsThatApply why some forms cannot have the hazard.

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"

namespace {

namespace fs = std::filesystem;

enum class Written { Mig, SqlBlock, PlainSql };
constexpr auto Mig = Written::Mig;
constexpr auto SqlBlock = Written::SqlBlock;
constexpr auto PlainSql = Written::PlainSql;

const char* name_of(Written form) {
  switch (form) {
    case Written::Mig:
      return ".mig";
    case Written::SqlBlock:
      return "sql { } block";
    case Written::PlainSql:
      return "plain .sql";
  }
  return "";
}

struct Variant {
  Written form;
  bool fires;
  std::string text;  // the migration under test: a .mig file, or a .sql file
  // When set, no finding of the rule may say this.
  std::string must_not_say = {};
};

Variant fires(Written form, std::string text, std::string must_not_say = {}) {
  return {form, true, std::move(text), std::move(must_not_say)};
}
Variant quiet(Written form, std::string text) { return {form, false, std::move(text)}; }

std::string sql_block(const std::string& up, const std::string& down) {
  return "sql {\n" + up + "\n} down {\n" + down + "\n}\n";
}

struct Case {
  std::string rule;
  std::string about;
  std::vector<Variant> variants;
  // A .mig migration between kTables and the one under test (the `.mig` forms only).
  std::string setup = {};
};

// The existing tables of the `.mig` forms.
const char* const kTables = R"(create table orgs {
  id bigint primary key generated always as identity
  name text not null
}
create table users {
  id bigint primary key generated always as identity
  org_id bigint
  email text
  name text
  data jsonb
  code varchar(20)
}
create index users_name_idx on users (name)
)";

// A table the migration under test creates itself, in each form.
const char* const kNewTagsMig = R"(create table tags {
  id bigint primary key generated always as identity
  name text not null
}
)";
const char* const kNewTagsSql =
    "create table tags (id bigint primary key generated always as identity, name text not "
    "null);\n";

const std::string kSafeNotNullMig =
    "alter table users add check users_email_not_null (email is not null) not valid\n"
    "alter table users validate constraint users_email_not_null\n"
    "alter table users alter column email set not null\n"
    "alter table users drop constraint users_email_not_null\n";
const std::string kSafeNotNullSql =
    "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
    "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
    "ALTER TABLE users DROP CONSTRAINT users_email_not_null;\n";

// A range-partitioned table and a plain table that fits it (the setup of the partition cases).
const std::string kPartitionedEvents =
    "create table events { id bigint not null, at date not null } partition by range (at)\n"
    "create table events_2024 { id bigint not null, at date not null }\n";
const std::string kBound2024Mig = "for values from ('2024-01-01') to ('2025-01-01')";
const std::string kBound2024Sql = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
const std::string kSafeAttachMig =
    "alter table events_2024 add check events_2024_bound (at >= '2024-01-01' and at < "
    "'2025-01-01') not valid\n"
    "alter table events_2024 validate constraint events_2024_bound\n"
    "alter table events attach partition events_2024 " +
    kBound2024Mig +
    "\n"
    "alter table events_2024 drop constraint events_2024_bound\n";
const std::string kSafeAttachSql =
    "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at >= '2024-01-01' AND at "
    "< '2025-01-01') NOT VALID;\n"
    "ALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound;\n"
    "ALTER TABLE events ATTACH PARTITION events_2024 " +
    kBound2024Sql +
    ";\n"
    "ALTER TABLE events_2024 DROP CONSTRAINT events_2024_bound;\n";

const std::string kLongName(64, 'a');  // one byte over PostgreSQL's limit
const std::string kLongest(63, 'a');   // at the limit

// Rules that cannot have their hazard in every form, and why.
const std::map<std::string, std::string> kFormsThatApply = {
    {"concurrently-in-transaction",
     "mig plans `concurrently` statements of .mig and of sql { } blocks alone, outside any "
     "transaction: only a plain .sql file can put one inside a transaction block"},
    {"fk-without-index",
     "it reads the schema model the migration leaves, and raw SQL (a sql { } block, a plain "
     ".sql file) is opaque to the model"},
    {"unbatched-update",
     ".mig writes an UPDATE or DELETE only as `backfill` or `delete from`, which mig runs in "
     "batches: the unbatched statement exists only in SQL"},
    {"irreversible-migration", "it is about a sql { } block without `down { }`"},
    {"lossy-downgrade",
     "it is about the downgrade mig derives for a .mig statement; a sql { } block is as "
     "reversible as its `down`, and a plain .sql file has no downgrade"},
    {"identifier-too-long", "a name over 63 bytes written in .mig is a compile error"},
};

std::vector<Case> cases() {
  return {
      {"locking-index",
       "an index on an existing table",
       {
           fires(Mig, "create index users_email_idx on users (email)"),
           fires(SqlBlock, sql_block("create index users_email_idx on users (email)",
                                     "drop index users_email_idx")),
           fires(PlainSql, "CREATE INDEX users_email_idx ON users (email);"),
           quiet(Mig, "create index concurrently users_email_idx on users (email)"),
           quiet(SqlBlock, sql_block("create index concurrently users_email_idx on users (email)",
                                     "drop index concurrently users_email_idx")),
           quiet(PlainSql,
                 "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON users "
                 "(email);"),
       }},
      {"locking-index",
       "an index on a table the migration creates",
       {
           quiet(Mig, std::string(kNewTagsMig) + "create index tags_name_idx on tags (name)\n"),
           quiet(SqlBlock,
                 sql_block(std::string(kNewTagsSql) + "create index tags_name_idx on tags (name)",
                           "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) + "CREATE INDEX tags_name_idx ON tags (name);"),
       }},
      {"locking-index",
       "CREATE TABLE ... AS makes a new table",
       {
           quiet(SqlBlock, sql_block("create table user_emails as select id, email from users;\n"
                                     "create index user_emails_email_idx on user_emails (email)",
                                     "drop table user_emails")),
           quiet(PlainSql,
                 "CREATE TABLE user_emails AS SELECT id, email FROM users;\n"
                 "CREATE INDEX user_emails_email_idx ON user_emails (email);"),
       }},
      {"locking-index",
       "SELECT ... INTO makes a new table",
       {
           quiet(SqlBlock, sql_block("select id, email into user_emails from users;\n"
                                     "create index user_emails_email_idx on user_emails (email)",
                                     "drop table user_emails")),
           quiet(PlainSql,
                 "SELECT id, email INTO user_emails FROM users;\n"
                 "CREATE INDEX user_emails_email_idx ON user_emails (email);"),
       }},
      {"locking-index",
       "CREATE MATERIALIZED VIEW makes a new relation",
       {
           quiet(SqlBlock,
                 sql_block("create materialized view user_emails as select id, email from users;\n"
                           "create index user_emails_email_idx on user_emails (email)",
                           "drop materialized view user_emails")),
           quiet(PlainSql,
                 "CREATE MATERIALIZED VIEW user_emails AS SELECT id, email FROM users;\n"
                 "CREATE INDEX user_emails_email_idx ON user_emails (email);"),
       }},

      {"mixed-schema-and-data",
       "a schema change and a data change in one migration",
       {
           fires(Mig,
                 "alter table users add column email_normalized text\n"
                 "backfill users set email_normalized = lower(email) where email_normalized is "
                 "null batch 1000\n"),
           fires(SqlBlock, sql_block("alter table users add column email_normalized text;\n"
                                     "update users set email_normalized = lower(email)",
                                     "alter table users drop column email_normalized")),
           fires(PlainSql,
                 "ALTER TABLE users ADD COLUMN email_normalized text;\n"
                 "UPDATE users SET email_normalized = lower(email);"),
           quiet(Mig, "backfill users set name = email where name is null batch 1000"),
           quiet(SqlBlock, sql_block("update users set name = email where name is null",
                                     "update users set name = null where name = email")),
           quiet(PlainSql, "UPDATE users SET name = email WHERE name IS NULL;"),
       }},
      {"mixed-schema-and-data",
       "another tool's version table is bookkeeping, not data",
       {
           quiet(SqlBlock, sql_block("alter table users add column nickname text;\n"
                                     "update alembic_version set version_num = 'x'",
                                     "alter table users drop column nickname")),
           quiet(PlainSql,
                 "ALTER TABLE users ADD COLUMN nickname text;\n"
                 "UPDATE alembic_version SET version_num = 'x';"),
       }},

      {"mixed-schema-and-data",
       "a schema change and a TRUNCATE in one migration",
       {
           fires(SqlBlock, sql_block("alter table users add column nickname text;\ntruncate orgs",
                                     "alter table users drop column nickname")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN nickname text;\nTRUNCATE orgs;"),
       }},

      {"set-not-null-scan",
       "set not null on an existing table",
       {
           fires(Mig, "alter table users alter column email set not null"),
           fires(SqlBlock, sql_block("alter table users alter column email set not null",
                                     "alter table users alter column email drop not null")),
           fires(PlainSql, "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"),
           quiet(Mig, kSafeNotNullMig),
           quiet(SqlBlock,
                 sql_block(kSafeNotNullSql, "alter table users alter column email drop not null")),
           quiet(PlainSql, kSafeNotNullSql),
       }},
      {"set-not-null-scan",
       "set not null after a validated check, the check added in an earlier migration",
       {
           quiet(Mig,
                 "alter table users validate constraint users_email_not_null\n"
                 "alter table users alter column email set not null\n"
                 "alter table users drop constraint users_email_not_null\n"),
           quiet(SqlBlock, sql_block("alter table users validate constraint users_email_not_null;\n"
                                     "alter table users alter column email set not null;\n"
                                     "alter table users drop constraint users_email_not_null",
                                     "alter table users alter column email drop not null")),
       },
       "alter table users add check users_email_not_null (email is not null) not valid\n"},

      {"set-not-null-scan",
       "set not null on a table the migration creates",
       {
           quiet(Mig, std::string(kNewTagsMig) +
                          "alter table tags add column label text\n"
                          "alter table tags alter column label set not null\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) +
                                         "alter table tags add column label text;\n"
                                         "alter table tags alter column label set not null",
                                     "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) +
                               "ALTER TABLE tags ADD COLUMN label text;\n"
                               "ALTER TABLE tags ALTER COLUMN label SET NOT NULL;"),
       }},

      {"attach-partition-scan",
       "attach of an existing table, and attach after a validated check implying the bound",
       {
           fires(Mig, "alter table events attach partition events_2024 " + kBound2024Mig),
           fires(SqlBlock,
                 sql_block("alter table events attach partition events_2024 " + kBound2024Sql,
                           "alter table events detach partition events_2024")),
           fires(PlainSql,
                 "ALTER TABLE events ATTACH PARTITION events_2024 " + kBound2024Sql + ";"),
           quiet(Mig, kSafeAttachMig),
           quiet(SqlBlock, sql_block(kSafeAttachSql,
                                     "alter table events detach partition "
                                     "events_2024")),
           quiet(PlainSql, kSafeAttachSql),
       },
       kPartitionedEvents},
      {"attach-partition-scan",
       "attach of a table the migration creates",
       {
           quiet(Mig,
                 "create table events_2025 { id bigint not null, at date not null }\n"
                 "alter table events attach partition events_2025 for values from "
                 "('2025-01-01') to ('2026-01-01')\n"),
           quiet(SqlBlock, sql_block("create table events_2025 (id bigint not null, at date not "
                                     "null);\nalter table events attach partition events_2025 "
                                     "for values from ('2025-01-01') to ('2026-01-01')",
                                     "drop table events_2025")),
           quiet(PlainSql,
                 "CREATE TABLE events_2025 (id bigint NOT NULL, at date NOT NULL);\n"
                 "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM "
                 "('2025-01-01') TO ('2026-01-01');"),
       },
       kPartitionedEvents},
      {"blocking-table-lock",
       "DETACH PARTITION without CONCURRENTLY",
       {
           fires(Mig, "alter table events detach partition events_2024"),
           fires(SqlBlock,
                 sql_block("alter table events detach partition events_2024",
                           "alter table events attach partition events_2024 " + kBound2024Sql)),
           fires(PlainSql, "ALTER TABLE events DETACH PARTITION events_2024;"),
           quiet(Mig, "alter table events detach partition events_2024 concurrently"),
           quiet(SqlBlock,
                 sql_block("alter table events detach partition events_2024 "
                           "concurrently",
                           "alter table events attach partition events_2024 " + kBound2024Sql)),
           quiet(PlainSql,
                 "-- mig:no-transaction\nALTER TABLE events DETACH PARTITION events_2024 "
                 "CONCURRENTLY;"),
       },
       kPartitionedEvents + "alter table events attach partition events_2024 " + kBound2024Mig +
           "\n"},

      {"prefer-timestamptz",
       "a timestamp column",
       {
           fires(Mig, "alter table users add column seen_at timestamp"),
           fires(SqlBlock, sql_block("alter table users add column seen_at timestamp",
                                     "alter table users drop column seen_at")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN seen_at timestamp;"),
           quiet(Mig, "alter table users add column seen_at timestamptz"),
           quiet(SqlBlock, sql_block("alter table users add column seen_at timestamptz",
                                     "alter table users drop column seen_at")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN seen_at timestamptz;"),
       }},

      {"locking-index-drop",
       "dropping an index of an existing table",
       {
           fires(Mig, "drop index users_name_idx"),
           fires(SqlBlock, sql_block("drop index users_name_idx",
                                     "create index users_name_idx on users (name)")),
           fires(PlainSql, "DROP INDEX users_name_idx;"),
           quiet(Mig, "drop index concurrently users_name_idx"),
           quiet(SqlBlock, sql_block("drop index concurrently users_name_idx",
                                     "create index concurrently users_name_idx on users (name)")),
           quiet(PlainSql, "-- mig:no-transaction\nDROP INDEX CONCURRENTLY users_name_idx;"),
       }},

      {"locking-index-drop",
       "dropping an index of a table the migration creates",
       {
           quiet(Mig, std::string(kNewTagsMig) +
                          "create index tags_name_idx on tags (name)\ndrop index tags_name_idx\n"),
           quiet(SqlBlock,
                 sql_block(std::string(kNewTagsSql) + "create index tags_name_idx on tags (name);\n"
                                                      "drop index tags_name_idx",
                           "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) + "CREATE INDEX tags_name_idx ON tags (name);\n"
                                                      "DROP INDEX tags_name_idx;"),
       }},

      {"concurrently-in-transaction",
       "CREATE INDEX CONCURRENTLY runs outside a transaction only when the file says so",
       {
           fires(PlainSql, "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"),
           fires(PlainSql, "DROP INDEX CONCURRENTLY users_name_idx;"),
           quiet(PlainSql,
                 "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON users "
                 "(email);"),
           quiet(PlainSql,
                 "COMMIT;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nBEGIN;"),
           quiet(Mig, "create index concurrently users_email_idx on users (email)"),
           quiet(SqlBlock, sql_block("create index concurrently users_email_idx on users (email)",
                                     "drop index concurrently users_email_idx")),
       }},

      {"concurrently-in-transaction",
       "a transaction the file opens itself",
       {
           fires(PlainSql,
                 "-- mig:no-transaction\nBEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON "
                 "users (email);\nCOMMIT;"),
       }},

      {"required-column-without-default",
       "a not null column without a default",
       {
           fires(Mig, "alter table users add column plan text not null"),
           fires(SqlBlock, sql_block("alter table users add column plan text not null",
                                     "alter table users drop column plan")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN plan text NOT NULL;"),
           quiet(Mig, "alter table users add column plan text not null default 'free'"),
           quiet(SqlBlock,
                 sql_block("alter table users add column plan text not null default 'free'",
                           "alter table users drop column plan")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';"),
       }},

      {"volatile-default",
       "a column added with a volatile default",
       {
           fires(Mig, "alter table users add column seen_at timestamptz default clock_timestamp()"),
           fires(SqlBlock, sql_block("alter table users add column seen_at timestamptz default "
                                     "clock_timestamp()",
                                     "alter table users drop column seen_at")),
           fires(PlainSql,
                 "ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();"),
           quiet(Mig, "alter table users add column seen_at timestamptz default now()"),
           quiet(SqlBlock,
                 sql_block("alter table users add column seen_at timestamptz default now()",
                           "alter table users drop column seen_at")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();"),
       }},

      {"volatile-default",
       "an identity column added to an existing table",
       {
           fires(Mig, "alter table users add column seq bigint generated always as identity"),
           fires(SqlBlock,
                 sql_block("alter table users add column seq bigint generated always as identity",
                           "alter table users drop column seq")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;"),
       }},

      {"type-change-rewrite",
       "jsonb to text on an existing table (old type known in .mig, unknown in plain .sql)",
       {
           fires(Mig, "alter table users alter column data type text"),
           fires(SqlBlock, sql_block("alter table users alter column data type text",
                                     "alter table users alter column data type jsonb using "
                                     "data::jsonb")),
           fires(PlainSql, "ALTER TABLE users ALTER COLUMN data TYPE text;"),
           quiet(Mig, "alter table users add column data_text text"),
           quiet(SqlBlock, sql_block("alter table users add column data_text text",
                                     "alter table users drop column data_text")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN data_text text;"),
       }},
      // In a plain .sql file the old type is unknown, so no change is known to be free.
      {"type-change-rewrite",
       "varchar(20) to text is made in place",
       {
           quiet(Mig, "alter table users alter column code type text"),
           quiet(SqlBlock, sql_block("alter table users alter column code type text",
                                     "alter table users alter column code type varchar(20)")),
       }},

      {"constraint-without-not-valid",
       "a check added to an existing table",
       {
           fires(Mig, "alter table users add check users_email_nonempty (email <> '')"),
           fires(SqlBlock, sql_block("alter table users add constraint users_email_nonempty "
                                     "check (email <> '')",
                                     "alter table users drop constraint users_email_nonempty")),
           fires(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_email_nonempty CHECK (email <> '');"),
           quiet(Mig, "alter table users add check users_email_nonempty (email <> '') not valid"),
           quiet(SqlBlock, sql_block("alter table users add constraint users_email_nonempty "
                                     "check (email <> '') not valid",
                                     "alter table users drop constraint users_email_nonempty")),
           quiet(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_email_nonempty CHECK (email <> '') NOT "
                 "VALID;"),
       }},
      {"constraint-without-not-valid",
       "a check on a column added to an existing table",
       {
           fires(Mig, "alter table users add column age int check (age > 0)"),
           fires(SqlBlock, sql_block("alter table users add column age int check (age > 0)",
                                     "alter table users drop column age")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN age int CHECK (age > 0);"),
       }},

      {"constraint-without-not-valid",
       "a foreign key added to an existing table",
       {
           fires(Mig,
                 "alter table users add foreign key users_org_id_fkey (org_id) references orgs "
                 "(id)"),
           fires(SqlBlock, sql_block("alter table users add constraint users_org_id_fkey "
                                     "foreign key (org_id) references orgs (id)",
                                     "alter table users drop constraint users_org_id_fkey")),
           fires(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) "
                 "REFERENCES orgs (id);"),
           quiet(Mig,
                 "alter table users add foreign key users_org_id_fkey (org_id) references orgs "
                 "(id) not valid"),
           quiet(SqlBlock, sql_block("alter table users add constraint users_org_id_fkey "
                                     "foreign key (org_id) references orgs (id) not valid",
                                     "alter table users drop constraint users_org_id_fkey")),
           quiet(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) "
                 "REFERENCES orgs (id) NOT VALID;"),
       }},

      // mig runs a .mig `not valid` add and its validation in separate transactions, and
      // under `-- mig:no-transaction` each statement runs alone.
      {"validate-in-same-migration",
       "a check added not valid and validated in the same migration",
       {
           fires(Mig,
                 "alter table users add check users_email_nonempty (email <> '') not valid\n"
                 "alter table users validate constraint users_email_nonempty\n",
                 "same transaction"),
           fires(SqlBlock, sql_block("alter table users add constraint users_email_nonempty "
                                     "check (email <> '') not valid;\n"
                                     "alter table users validate constraint users_email_nonempty",
                                     "alter table users drop constraint users_email_nonempty")),
           fires(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_email_nonempty CHECK (email <> '') NOT "
                 "VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nonempty;"),
           fires(PlainSql,
                 "-- mig:no-transaction\n"
                 "ALTER TABLE users ADD CONSTRAINT users_email_nonempty CHECK (email <> '') NOT "
                 "VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nonempty;",
                 "same transaction"),
       }},
      {"validate-in-same-migration",
       "validating a check added not valid by an earlier migration",
       {
           quiet(Mig, "alter table users validate constraint users_email_nonempty"),
           quiet(SqlBlock,
                 sql_block("alter table users validate constraint users_email_nonempty",
                           "alter table users drop constraint users_email_nonempty;\n"
                           "alter table users add constraint users_email_nonempty check (email <> "
                           "'') not valid")),
           quiet(PlainSql, "ALTER TABLE users VALIDATE CONSTRAINT users_email_nonempty;"),
       },
       "alter table users add check users_email_nonempty (email <> '') not valid\n"},

      {"unique-constraint-blocking",
       "a unique constraint added to an existing table",
       {
           fires(Mig, "alter table users add unique users_email_key (email)"),
           fires(SqlBlock,
                 sql_block("alter table users add constraint users_email_key unique (email)",
                           "alter table users drop constraint users_email_key")),
           fires(PlainSql, "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"),
       }},
      {"unique-constraint-blocking",
       "a unique column added to an existing table",
       {
           fires(Mig, "alter table users add column handle text unique"),
           fires(SqlBlock, sql_block("alter table users add column handle text unique",
                                     "alter table users drop column handle")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN handle text UNIQUE;"),
       }},

      {"unique-constraint-blocking",
       "a unique index built concurrently, attached in a later migration",
       {
           quiet(Mig, "alter table users add unique users_email_key using index users_email_key"),
           quiet(SqlBlock, sql_block("alter table users add constraint users_email_key unique "
                                     "using index users_email_key",
                                     "alter table users drop constraint users_email_key")),
           quiet(PlainSql,
                 "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX "
                 "users_email_key;"),
       },
       "create unique index concurrently users_email_key on users (email)\n"},

      {"fk-without-index",
       "a foreign key on columns without an index",
       {
           fires(Mig,
                 "alter table users add foreign key users_org_id_fkey (org_id) references orgs "
                 "(id) not valid"),
           quiet(Mig,
                 "create index concurrently users_org_id_idx on users (org_id)\n"
                 "alter table users add foreign key users_org_id_fkey (org_id) references orgs "
                 "(id) not valid\n"),
       }},

      {"rename-column",
       "renaming a column of an existing table",
       {
           fires(Mig, "alter table users rename column name to full_name"),
           fires(SqlBlock, sql_block("alter table users rename column name to full_name",
                                     "alter table users rename column full_name to name")),
           fires(PlainSql, "ALTER TABLE users RENAME COLUMN name TO full_name;"),
           quiet(Mig, std::string(kNewTagsMig) + "alter table tags rename column name to label\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) +
                                         "alter table tags rename column name to label",
                                     "drop table tags")),
           quiet(PlainSql,
                 std::string(kNewTagsSql) + "ALTER TABLE tags RENAME COLUMN name TO label;"),
       }},

      {"rename-table",
       "renaming an existing table",
       {
           fires(Mig, "rename table orgs to organizations"),
           fires(SqlBlock, sql_block("alter table orgs rename to organizations",
                                     "alter table organizations rename to orgs")),
           fires(PlainSql, "ALTER TABLE orgs RENAME TO organizations;"),
           quiet(Mig, std::string(kNewTagsMig) + "rename table tags to labels\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) + "alter table tags rename to labels",
                                     "drop table labels")),
           quiet(PlainSql, std::string(kNewTagsSql) + "ALTER TABLE tags RENAME TO labels;"),
       }},

      {"drop-column",
       "dropping a column of an existing table",
       {
           fires(Mig, "alter table users drop column name"),
           fires(SqlBlock, sql_block("alter table users drop column name",
                                     "alter table users add column name text")),
           fires(PlainSql, "ALTER TABLE users DROP COLUMN name;"),
           quiet(Mig, std::string(kNewTagsMig) + "alter table tags drop column name\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) + "alter table tags drop column name",
                                     "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) + "ALTER TABLE tags DROP COLUMN name;"),
       }},

      {"drop-table",
       "dropping an existing table",
       {
           fires(Mig, "drop table orgs"),
           fires(SqlBlock, sql_block("drop table orgs",
                                     "create table orgs (id bigint primary key generated always "
                                     "as identity, name text not null)")),
           fires(PlainSql, "DROP TABLE orgs;"),
           quiet(Mig, std::string(kNewTagsMig) + "drop table tags\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) + "drop table tags", "select 1")),
           quiet(PlainSql, std::string(kNewTagsSql) + "DROP TABLE tags;"),
       }},

      {"unbatched-update",
       "an UPDATE of an existing table in one statement",
       {
           fires(SqlBlock, sql_block("update users set name = email where name is null",
                                     "update users set name = null where name = email")),
           fires(PlainSql, "UPDATE users SET name = email WHERE name IS NULL;"),
           fires(PlainSql, "DELETE FROM users WHERE email IS NULL;"),
           quiet(Mig, "backfill users set name = email where name is null batch 1000"),
           quiet(Mig, "delete from users where email is null batch 1000"),
           quiet(SqlBlock, sql_block("update alembic_version set version_num = 'x'",
                                     "update alembic_version set version_num = 'w'")),
           quiet(PlainSql, "UPDATE alembic_version SET version_num = 'x';"),
       }},

      {"unbatched-update",
       "an UPDATE of a table the migration creates",
       {
           quiet(SqlBlock,
                 sql_block(std::string(kNewTagsSql) + "update tags set name = lower(name)",
                           "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) + "UPDATE tags SET name = lower(name);"),
       }},

      {"irreversible-migration",
       "a sql { } block without down { }",
       {
           fires(SqlBlock, "sql {\ncreate extension if not exists citext\n}\n"),
           quiet(SqlBlock, sql_block("create extension if not exists citext",
                                     "drop extension if exists citext")),
       }},

      {"lossy-downgrade",
       "a downgrade that cannot bring the data back",
       {
           fires(Mig, "alter table users drop column name"),
           quiet(Mig, "alter table users add column nickname text"),
       }},

      {"prefer-bigint",
       "an int foreign key column",
       {
           fires(Mig, "alter table users add column manager_id int references users (id)"),
           fires(SqlBlock,
                 sql_block("alter table users add column manager_id int references users (id)",
                           "alter table users drop column manager_id")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN manager_id int REFERENCES users (id);"),
           quiet(Mig, "alter table users add column manager_id bigint references users (id)"),
           quiet(SqlBlock,
                 sql_block("alter table users add column manager_id bigint references users (id)",
                           "alter table users drop column manager_id")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN manager_id bigint REFERENCES users (id);"),
       }},

      {"prefer-bigint",
       "an int primary key of a new table, on the column or as a table constraint",
       {
           fires(Mig, "create table tags {\n  id int primary key\n  name text not null\n}\n"),
           fires(SqlBlock, sql_block("create table tags (id int primary key, name text not null)",
                                     "drop table tags")),
           fires(PlainSql, "CREATE TABLE tags (id int, name text NOT NULL, PRIMARY KEY (id));"),
           quiet(Mig, "create table tags {\n  id bigint primary key\n  name text not null\n}\n"),
           quiet(SqlBlock,
                 sql_block("create table tags (id bigint primary key, name text not null)",
                           "drop table tags")),
           quiet(PlainSql, "CREATE TABLE tags (id bigint, name text NOT NULL, PRIMARY KEY (id));"),
       }},
      {"prefer-bigint",
       "an int column whose foreign key the same ALTER TABLE adds",
       {
           fires(SqlBlock, sql_block("alter table users add column manager_id int, add constraint "
                                     "users_manager_id_fkey foreign key (manager_id) references "
                                     "users (id)",
                                     "alter table users drop column manager_id")),
           fires(
               PlainSql,
               "ALTER TABLE users ADD COLUMN manager_id int, ADD CONSTRAINT users_manager_id_fkey "
               "FOREIGN KEY (manager_id) REFERENCES users (id);"),
       }},

      {"prefer-identity",
       "a serial column",
       {
           fires(Mig, "alter table users add column legacy_id serial"),
           fires(SqlBlock, sql_block("alter table users add column legacy_id serial",
                                     "alter table users drop column legacy_id")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN legacy_id serial;"),
           quiet(Mig,
                 "alter table users add column legacy_id bigint generated by default as identity"),
           quiet(SqlBlock, sql_block("alter table users add column legacy_id bigint generated by "
                                     "default as identity",
                                     "alter table users drop column legacy_id")),
           quiet(PlainSql,
                 "ALTER TABLE users ADD COLUMN legacy_id bigint GENERATED BY DEFAULT AS "
                 "IDENTITY;"),
       }},

      {"prefer-text",
       "a varchar(n) column",
       {
           fires(Mig, "alter table users add column country varchar(2)"),
           fires(SqlBlock, sql_block("alter table users add column country varchar(2)",
                                     "alter table users drop column country")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN country varchar(2);"),
           quiet(Mig, "alter table users add column country text"),
           quiet(SqlBlock, sql_block("alter table users add column country text",
                                     "alter table users drop column country")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN country text;"),
       }},

      {"ban-char",
       "a char(n) column",
       {
           fires(Mig, "alter table users add column country char(2)"),
           fires(SqlBlock, sql_block("alter table users add column country char(2)",
                                     "alter table users drop column country")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN country char(2);"),
           quiet(Mig, "alter table users add column country text"),
           quiet(SqlBlock, sql_block("alter table users add column country text",
                                     "alter table users drop column country")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN country text;"),
       }},

      {"prefer-jsonb",
       "a json column",
       {
           fires(Mig, "alter table users add column settings json"),
           fires(SqlBlock, sql_block("alter table users add column settings json",
                                     "alter table users drop column settings")),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN settings json;"),
           quiet(Mig, "alter table users add column settings jsonb"),
           quiet(SqlBlock, sql_block("alter table users add column settings jsonb",
                                     "alter table users drop column settings")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN settings jsonb;"),
       }},

      {"identifier-too-long",
       "a column name over 63 bytes",
       {
           fires(SqlBlock, sql_block("alter table users add column " + kLongName + " text",
                                     "alter table users drop column " + kLongName)),
           fires(PlainSql, "ALTER TABLE users ADD COLUMN " + kLongName + " text;"),
           quiet(SqlBlock, sql_block("alter table users add column " + kLongest + " text",
                                     "alter table users drop column " + kLongest)),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN " + kLongest + " text;"),
       }},

      {"multiple-alter-table",
       "two changes to an existing table in separate statements",
       {
           fires(Mig,
                 "alter table users add column nickname text\n"
                 "alter table users add column bio text\n"),
           fires(SqlBlock, sql_block("alter table users add column nickname text;\n"
                                     "alter table users add column bio text",
                                     "alter table users drop column bio, drop column nickname")),
           fires(PlainSql,
                 "ALTER TABLE users ADD COLUMN nickname text;\n"
                 "ALTER TABLE users ADD COLUMN bio text;"),
           quiet(Mig,
                 "alter table users {\n  add column nickname text\n  add column bio text\n}\n"),
           quiet(SqlBlock,
                 sql_block("alter table users add column nickname text, add column bio text",
                           "alter table users drop column bio, drop column nickname")),
           quiet(PlainSql, "ALTER TABLE users ADD COLUMN nickname text, ADD COLUMN bio text;"),
       }},
      {"multiple-alter-table",
       "the safe not-null sequence: add check not valid, validate, set not null, drop check",
       {
           quiet(Mig, kSafeNotNullMig),
           quiet(SqlBlock,
                 sql_block(kSafeNotNullSql, "alter table users alter column email drop not null")),
           quiet(PlainSql, kSafeNotNullSql),
       }},

      {"blocking-table-lock",
       "TRUNCATE of an existing table",
       {
           fires(SqlBlock, sql_block("truncate users", "select 1")),
           fires(PlainSql, "TRUNCATE users;"),
       }},
      {"blocking-table-lock",
       "VACUUM FULL of an existing table",
       {
           fires(SqlBlock, sql_block("vacuum full users", "select 1")),
           fires(PlainSql, "-- mig:no-transaction\nVACUUM FULL users;"),
       }},
      {"blocking-table-lock",
       "CLUSTER of an existing table",
       {
           fires(SqlBlock, sql_block("cluster users using users_pkey", "select 1")),
           fires(PlainSql, "CLUSTER users USING users_pkey;"),
       }},
      {"blocking-table-lock",
       "LOCK TABLE of an existing table",
       {
           fires(SqlBlock, sql_block("lock table users in access exclusive mode", "select 1")),
           fires(PlainSql, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE;"),
       }},
      {"blocking-table-lock",
       "CREATE TRIGGER and DROP TRIGGER on an existing table",
       {
           fires(SqlBlock, sql_block("create trigger users_touch before update on users for each "
                                     "row execute function touch()",
                                     "drop trigger users_touch on users")),
           fires(PlainSql,
                 "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE "
                 "FUNCTION touch();"),
           fires(SqlBlock, sql_block("drop trigger users_touch on users",
                                     "create trigger users_touch before update on users for each "
                                     "row execute function touch()")),
           fires(PlainSql, "DROP TRIGGER users_touch ON users;"),
       }},
      {"blocking-table-lock",
       "the same on a table the migration creates",
       {
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) +
                                         "lock table tags in access exclusive mode;\n"
                                         "create trigger tags_touch before update on tags for "
                                         "each row execute function touch();\n"
                                         "truncate tags",
                                     "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) +
                               "LOCK TABLE tags IN ACCESS EXCLUSIVE MODE;\n"
                               "CREATE TRIGGER tags_touch BEFORE UPDATE ON tags FOR EACH ROW "
                               "EXECUTE FUNCTION touch();\n"
                               "TRUNCATE tags;"),
       }},
      {"blocking-table-lock",
       "SET UNLOGGED and SET LOGGED of an existing table",
       {
           fires(Mig, "alter table users set unlogged"),
           fires(SqlBlock,
                 sql_block("alter table users set unlogged", "alter table users set logged")),
           fires(PlainSql, "ALTER TABLE users SET UNLOGGED;"),
           fires(SqlBlock,
                 sql_block("alter table users set logged", "alter table users set unlogged")),
           fires(PlainSql, "ALTER TABLE users SET LOGGED;"),
           quiet(Mig, std::string(kNewTagsMig) + "alter table tags set unlogged\n"),
           quiet(PlainSql, std::string(kNewTagsSql) + "ALTER TABLE tags SET UNLOGGED;"),
       }},
      {"blocking-table-lock",
       "policies and row-level security on an existing table",
       {
           fires(Mig, "create policy own_rows on users using (true)"),
           fires(Mig, "alter table users enable row level security"),
           fires(SqlBlock, sql_block("create policy own_rows on users using (true)",
                                     "drop policy own_rows on users")),
           fires(SqlBlock, sql_block("alter table users enable row level security",
                                     "alter table users disable row level security")),
           fires(PlainSql, "CREATE POLICY own_rows ON users USING (true);"),
           fires(PlainSql, "ALTER TABLE users FORCE ROW LEVEL SECURITY;"),
           fires(PlainSql, "DROP POLICY own_rows ON users;"),
       }},
      {"blocking-table-lock",
       "policies and row-level security on a table the migration creates",
       {
           quiet(Mig, std::string(kNewTagsMig) + "alter table tags enable row level security\n"
                                                 "create policy own_tags on tags using (true)\n"),
           quiet(SqlBlock, sql_block(std::string(kNewTagsSql) +
                                         "alter table tags enable row level security;\n"
                                         "create policy own_tags on tags using (true)",
                                     "drop table tags")),
           quiet(PlainSql, std::string(kNewTagsSql) +
                               "ALTER TABLE tags ENABLE ROW LEVEL SECURITY;\n"
                               "CREATE POLICY own_tags ON tags USING (true);"),
           quiet(Mig, "grant select on users to public"),
       }},
      {"refresh-blocks-reads",
       "refreshing a materialized view that exists",
       {
           fires(Mig, "refresh materialized view user_names"),
           fires(SqlBlock, sql_block("refresh materialized view user_names", "select 1")),
           fires(PlainSql, "REFRESH MATERIALIZED VIEW user_names;"),
           quiet(Mig, "refresh materialized view concurrently user_names"),
           quiet(SqlBlock,
                 sql_block("refresh materialized view concurrently user_names", "select 1")),
           quiet(PlainSql, "REFRESH MATERIALIZED VIEW CONCURRENTLY user_names;"),
           quiet(Mig,
                 "create materialized view org_names as select id, name from orgs\n"
                 "refresh materialized view org_names\n"),
           // Emptying the view is its own finding, not the one about waiting for the query.
           fires(Mig, "refresh materialized view user_names with no data", "waits until"),
           fires(SqlBlock,
                 sql_block("refresh materialized view user_names with no data", "select 1"),
                 "waits until"),
           fires(PlainSql, "REFRESH MATERIALIZED VIEW user_names WITH NO DATA;", "waits until"),
       },
       "create materialized view user_names as select id, name from users\n"
       "create unique index user_names_id on user_names (id)\n"},
  };
}

// A plain .sql file under test, removed with its directory when done.
class SqlFile {
 public:
  explicit SqlFile(const std::string& text)
      : dir_(fs::temp_directory_path() / ("mig-lint-forms-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
    std::ofstream(path()) << text << "\n";
  }
  ~SqlFile() { fs::remove_all(dir_); }
  fs::path path() const { return dir_ / "0001_under_test.sql"; }

 private:
  fs::path dir_;
};

struct Outcome {
  std::string errors;                 // compile errors: the case itself is broken
  std::vector<std::string> messages;  // of the rule's findings in the migration under test
  std::string findings;               // every finding of the migration under test, rendered
};

Outcome lint(const Case& c, const Variant& v) {
  mig::LintResult result;
  std::string under_test;
  if (v.form == PlainSql) {
    const SqlFile file(v.text);
    under_test = file.path().string();
    result = mig::lint_sql_files({file.path()}, {});
  } else {
    std::vector<mig::SourceText> sources{{"forms/0001_create_tables.mig", kTables}};
    if (!c.setup.empty()) sources.push_back({"forms/0002_setup.mig", c.setup});
    under_test = "forms/0003_under_test.mig";
    sources.push_back({under_test, v.text + "\n"});
    result = mig::lint_migration_sources(std::move(sources), {});
  }
  Outcome out;
  for (const auto& d : result.compilation.diagnostics)
    if (d.severity == mig::Severity::Error) out.errors += mig::render(d, false);
  for (const auto& f : result.findings) {
    if (!f.file || f.file->path() != under_test) continue;
    out.findings += mig::render(mig::to_diagnostic(f), false);
    if (f.rule == c.rule) out.messages.push_back(f.message);
  }
  return out;
}

}  // namespace

TEST_CASE("each rule reports its hazard in every form it can be written in", "[forms]") {
  for (const auto& c : cases()) {
    SECTION(c.rule + ": " + c.about) {
      REQUIRE(mig::find_rule(c.rule));
      for (const auto& v : c.variants) {
        const auto outcome = lint(c, v);
        INFO("[" << c.rule << "] " << c.about << "\n"
                 << name_of(v.form) << (v.fires ? ", must fire" : ", must stay quiet") << ":\n"
                 << v.text << "\nfindings:\n"
                 << (outcome.findings.empty() ? "none\n" : outcome.findings)
                 << (outcome.errors.empty() ? "" : "compile errors:\n" + outcome.errors));
        CHECK(outcome.errors.empty());
        if (v.fires) {
          CHECK(!outcome.messages.empty());
          if (!v.must_not_say.empty())
            for (const auto& m : outcome.messages)
              CHECK(m.find(v.must_not_say) == std::string::npos);
        } else {
          CHECK(outcome.messages.empty());
        }
      }
    }
  }
}

TEST_CASE("every rule has cases in all three forms, or says why not", "[forms]") {
  const auto all = cases();
  std::set<std::string> ids;
  for (const auto& rule : mig::all_rules()) {
    const std::string id(rule->id());
    ids.insert(id);
    std::set<std::pair<Written, bool>> written;
    for (const auto& c : all)
      if (c.rule == id)
        for (const auto& v : c.variants) written.insert({v.form, v.fires});
    bool every_form = true;
    bool some_fire = false, some_quiet = false;
    for (const auto form : {Mig, SqlBlock, PlainSql}) {
      every_form = every_form && written.count({form, true}) && written.count({form, false});
      some_fire = some_fire || written.count({form, true});
      some_quiet = some_quiet || written.count({form, false});
    }
    const bool has_reason = kFormsThatApply.count(id) > 0;
    INFO("rule " << id
                 << ": add cases that fire and cases that stay quiet in .mig, in a sql { } "
                    "block and in plain .sql, or say in kFormsThatApply why it cannot");
    CHECK((every_form || has_reason));
    CHECK(!(every_form && has_reason));  // a reason for a rule covered in every form is stale
    CHECK(some_fire);
    CHECK(some_quiet);
  }
  for (const auto& [id, reason] : kFormsThatApply) {
    INFO("kFormsThatApply names " << id);
    CHECK(ids.count(id));
  }
  for (const auto& c : all) {
    INFO("case " << c.rule << ": " << c.about);
    CHECK(ids.count(c.rule));
  }
}
