// Every example and the whole migrations/ chain, compiled and applied to a real
// PostgreSQL: up, down and up again, with the schema after each downgrade equal to the
// schema before the upgrade.

#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>

#include "compiler/plan/compiler.hpp"
#include "runtime/runner.hpp"
#include "runtime/scratch_server.hpp"
#include "tests/e2e/schema_dump.hpp"

namespace fs = std::filesystem;
using mig::test::schema_dump;

namespace {

mig::ScratchServer& server() {
  static mig::ScratchServer s;
  return s;
}

std::string fresh_database() {
  static std::atomic<int> count{0};
  return server().create_database(fmt::format("e2e_{}", ++count));
}

mig::Plan compile(const fs::path& dir) {
  const auto compilation = mig::compile_directory(dir);
  std::string errors;
  for (const auto& d : compilation.diagnostics) errors += mig::render(d);
  INFO(errors);
  REQUIRE_FALSE(mig::has_errors(compilation.diagnostics));
  return compilation.plan();
}

// Each migration in turn: up, then down one step (the schema must be as before), then up
// again; finally everything down to 0 and up once more.
void round_trip(const mig::Plan& plan) {
  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  const auto empty = schema_dump(url);
  for (const auto& m : plan.migrations) {
    INFO(fmt::format("migration {}", mig::migration_stem(m)));
    const auto before = schema_dump(url);
    runner.up(plan, m.version);
    const auto after = schema_dump(url);
    if (m.reversibility == mig::Reversibility::Irreversible) continue;
    runner.down(plan, {1, std::nullopt});
    CHECK(schema_dump(url) == before);
    runner.up(plan, m.version);
    CHECK(schema_dump(url) == after);
  }
  const auto full = schema_dump(url);
  runner.down(plan, {std::nullopt, 0});
  CHECK(schema_dump(url) == empty);
  runner.up(plan);
  CHECK(schema_dump(url) == full);
}

// A new database with the plan applied up to `version`; its URL.
std::string applied(const mig::Plan& plan, int version) {
  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner(url, {}, log).up(plan, version);
  return url;
}

// Roles are the cluster's: made once, for every database of the scratch server.
void create_roles(std::initializer_list<const char*> roles) {
  pqxx::connection c{fresh_database()};
  pqxx::nontransaction q{c};
  for (const auto* role : roles)
    if (q.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty())
      q.exec0(fmt::format("CREATE ROLE {}", role));
}

fs::path write_migrations(const std::string& name,
                          const std::vector<std::pair<std::string, std::string>>& files) {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-e2e-{}-{}", name, getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [file, text] : files) std::ofstream(dir / file) << text;
  return dir;
}

}  // namespace

TEST_CASE("the migrations/ chain goes up, down and up again", "[e2e]") {
  round_trip(compile(fs::path(MIG_SOURCE_DIR) / "migrations"));
}

TEST_CASE("every example goes up, down and up again", "[e2e]") {
  for (const auto& entry : fs::directory_iterator(fs::path(MIG_SOURCE_DIR) / "examples")) {
    // examples/ci holds CI configuration, not migrations.
    if (!entry.is_directory() || entry.path().filename() == "ci") continue;
    DYNAMIC_SECTION(entry.path().filename().string()) { round_trip(compile(entry.path())); }
  }
}

TEST_CASE("hostile and non-ASCII identifiers round-trip harmlessly", "[e2e]") {
  const auto dir = write_migrations(
      "hostile",
      {{"0001_create.mig",
        "create table \"\"\"; drop table users; --\" {\n"
        "  id bigint primary key generated always as identity\n"
        "  \"Ünïcødé\" text not null default 'it''s; drop table x' check (\"Ünïcødé\" <> '')\n"
        "  \"a\"\"b\" text unique\n"
        "}\n"
        "create table users { id bigint primary key }\n"},
       {"0002_alter.mig",
        "alter table \"\"\"; drop table users; --\" {\n"
        "  rename column \"Ünïcødé\" to \"Ü'; --\"\n"
        "  add column \"x\"\"; drop table users; --\" text\n"
        "}\n"
        "create index concurrently \"idx\"\"; --\" on \"\"\"; drop table users; --\" "
        "(\"Ü'; --\")\n"},
       {"0003_drop.mig", "drop table \"\"\"; drop table users; --\"\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  runner.up(plan, 2);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  CHECK(q.exec1("SELECT to_regclass('public.users') IS NOT NULL")[0].as<bool>());
  CHECK(q.exec1("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                "'\"; drop table users; --' AND column_name IN ('id', 'Ü''; --', 'a\"b', "
                "'x\"; drop table users; --')")[0]
            .as<int>() == 4);
  CHECK(q.exec1("SELECT count(*) FROM pg_indexes WHERE indexname = 'idx\"; --'")[0].as<int>() == 1);
  fs::remove_all(dir);
}

TEST_CASE("schemas, extensions, enum types and comments go up, down and up again", "[e2e]") {
  const auto dir = write_migrations(
      "schema-objects", {{"0001_create.mig",
                          "create schema app\n"
                          "comment on schema app is 'the application''s own'\n"
                          "create extension pgcrypto schema app\n"
                          "create type app.mood as enum ('sad', 'ok')\n"
                          "comment on type app.mood is 'how it went'\n"
                          "create table app.people {\n"
                          "  id uuid primary key default app.gen_random_uuid()\n"
                          "  mood app.mood not null default 'ok'\n"
                          "  history app.mood[]\n"
                          "  note text\n"
                          "}\n"
                          "comment on table app.people is 'everyone'\n"
                          "comment on column app.people.mood is 'today'\n"
                          "comment on column app.people.note is 'free text'\n"
                          "create index people_sad_idx on app.people (id) where mood = 'ok'\n"
                          // What reads the column the downgrade of `add value` moves.
                          "create view app.moods as select id, mood from app.people\n"
                          "create view app.ok_moods as select id from app.moods where mood = "
                          "'ok'\n"
                          "grant select on app.ok_moods to public\n"
                          "create materialized view app.mood_counts as select mood, count(id) "
                          "as n from app.people group by mood\n"
                          "create unique index mood_counts_mood on app.mood_counts (mood)\n"
                          "alter table app.people enable row level security\n"
                          "create policy not_ok on app.people using (mood <> 'ok')\n"},
                         {"0002_happy.mig",
                          "alter type app.mood add value 'happy' after 'ok'\n"
                          "alter table app.people alter column mood set default 'happy'\n"
                          "alter type app.mood rename value 'sad' to 'unhappy'\n"
                          "comment on table app.people is null\n"
                          "comment on column app.people.mood is 'right now'\n"},
                         {"0003_drop.mig",
                          "drop view app.ok_moods\n"
                          "drop view app.moods\n"
                          "drop materialized view app.mood_counts\n"
                          "alter table app.people drop column note\n"
                          "drop table app.people\n"
                          "drop type app.mood\n"
                          "drop extension pgcrypto\n"
                          "drop schema app\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  // The downgrade of `add value` re-creates the type without it, which fails while a row
  // holds the value, and leaves the database as it was.
  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  runner.up(plan, 2);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  q.exec0("INSERT INTO app.people DEFAULT VALUES");
  const auto before = schema_dump(url);
  CHECK_THROWS(runner.down(plan, {1, std::nullopt}));
  CHECK(schema_dump(url) == before);
  q.exec0("UPDATE app.people SET mood = 'ok'");
  runner.down(plan, {1, std::nullopt});
  CHECK(q.exec1("SELECT enum_range(NULL::app.mood)::text")[0].as<std::string>() == "{sad,ok}");
  CHECK(q.exec1("SELECT mood::text FROM app.people")[0].as<std::string>() == "ok");
  fs::remove_all(dir);
}

TEST_CASE("row level security, policies and privileges go up, down and up again", "[e2e]") {
  create_roles({"app_rw", "app_ro", "auditor"});
  const auto dir = write_migrations(
      "access", {{"0001_accounts.mig",
                  "create schema billing\n"
                  "create table billing.accounts {\n"
                  "  id bigint generated always as identity primary key\n"
                  "  owner text not null\n"
                  "  balance numeric not null default 0\n"
                  "}\n"
                  "alter table billing.accounts {\n"
                  "  enable row level security\n"
                  "  force row level security\n"
                  "}\n"
                  "create policy owner_only on billing.accounts for select to public "
                  "using (owner = current_user)\n"
                  "create view billing.balances as select owner, balance from billing.accounts\n"
                  "grant usage on schema billing to app_rw, app_ro, auditor\n"
                  "grant select, insert, update on billing.accounts to app_rw\n"
                  "grant select on table billing.accounts to app_ro, auditor\n"
                  "grant select on billing.balances to auditor\n"},
                 {"0002_change.mig",
                  // app_rw loses its place in the ACLs: the downgrade must give it back.
                  "revoke select, insert, update on billing.accounts from app_rw\n"
                  "revoke usage on schema billing from app_rw\n"
                  "revoke select on billing.accounts from app_ro\n"
                  // The policy and the view follow the renamed column.
                  "alter table billing.accounts rename column owner to holder\n"
                  "drop policy owner_only on billing.accounts\n"
                  "create policy owner_write on billing.accounts as restrictive for update "
                  "using (holder = current_user) with check (balance >= 0)\n"
                  "grant all on billing.accounts to app_ro\n"
                  "alter table billing.accounts no force row level security\n"},
                 {"0003_drop.mig",
                  "drop view billing.balances\n"
                  "drop table billing.accounts\n"
                  "revoke usage on schema public from public\n"},
                 {"0004_schema.mig", "drop schema billing\n"}});
  round_trip(compile(dir));
  fs::remove_all(dir);
}

TEST_CASE(
    "privileges on all tables, sequences and functions of a schema, and on identity and "
    "serial sequences, go up, down and up again",
    "[e2e]") {
  create_roles({"app_reader", "app_writer", "app_auditor"});
  const auto dir = write_migrations(
      "schema_access",
      {{"0001_create.mig",
        "create schema app\n"
        "create table app.orders { id bigint generated always as identity primary key, total "
        "numeric }\n"
        "create table app.notes { id serial primary key, body text }\n"
        "create table other { id bigint primary key }\n"
        "create view app.big_orders as select id, total from app.orders where total > 100\n"
        "create sequence app.invoice_numbers\n"
        "create function app.add_one(n integer) returns integer language sql as $$ select n + 1 "
        "$$\n"},
       {"0002_grant.mig",
        "grant select on all tables in schema app to app_reader\n"
        "grant usage, select on all sequences in schema app to app_writer\n"
        "revoke execute on all functions in schema app from public\n"
        "grant usage on sequence app.notes_id_seq to app_auditor\n"},
       {"0003_identity.mig", "alter table app.orders alter column id drop identity\n"},
       {"0004_drop.mig", "drop table app.notes\n"},
       {"0005_revoke.mig",
        "revoke select on all tables in schema app from app_reader\n"
        "revoke all on all sequences in schema app from app_writer\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 2)};
  pqxx::nontransaction q{c};
  const auto holds = [&](const std::string& check) { return q.exec1(check)[0].as<bool>(); };
  CHECK(holds("SELECT has_table_privilege('app_reader', 'app.big_orders', 'SELECT')"));
  CHECK_FALSE(holds("SELECT has_table_privilege('app_reader', 'public.other', 'SELECT')"));
  CHECK(holds("SELECT has_sequence_privilege('app_writer', 'app.orders_id_seq', 'USAGE')"));
  CHECK(holds("SELECT has_sequence_privilege('app_auditor', 'app.notes_id_seq', 'USAGE')"));
  CHECK_FALSE(holds("SELECT has_function_privilege('public', 'app.add_one(integer)', 'EXECUTE')"));
  fs::remove_all(dir);
}

TEST_CASE("privileges on functions and sequences go up, down and up again", "[e2e]") {
  create_roles({"app_rw", "app_ro"});
  const auto dir = write_migrations(
      "routine_access",
      {{"0001_create.mig",
        "create table invoices { id bigint primary key, number bigint }\n"
        "create function next_number(prefix text) returns text language sql as $$ select prefix "
        "|| 1 $$\n"
        "create sequence invoice_numbers start with 1000 owned by invoices.number\n"
        "create sequence audit_ids\n"},
       {"0002_grant.mig",
        "revoke execute on function next_number from public\n"
        "grant execute on function next_number(text) to app_rw, app_ro\n"
        "grant usage, select on sequence invoice_numbers to app_rw\n"
        "grant all on sequence audit_ids to app_ro\n"
        "grant update on sequence audit_ids to app_rw\n"},
       {"0003_change.mig",
        // The replaced function keeps its privileges; app_ro loses its place in the ACL.
        "create or replace function next_number(prefix text) returns text language sql as $$ "
        "select prefix || 2 $$\n"
        "revoke all on sequence audit_ids from app_ro\n"
        "revoke execute on function next_number(text) from app_rw\n"},
       {"0004_drop.mig",
        "drop function next_number\n"
        "alter table invoices drop column number\n"
        "drop sequence audit_ids\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 3)};
  pqxx::nontransaction q{c};
  const auto holds = [&](const std::string& check) { return q.exec1(check)[0].as<bool>(); };
  CHECK(holds("SELECT has_function_privilege('app_ro', 'next_number(text)', 'EXECUTE')"));
  CHECK_FALSE(holds("SELECT has_function_privilege('app_rw', 'next_number(text)', 'EXECUTE')"));
  CHECK(holds("SELECT has_sequence_privilege('app_rw', 'invoice_numbers', 'USAGE')"));
  CHECK_FALSE(holds("SELECT has_sequence_privilege('app_ro', 'audit_ids', 'SELECT')"));
  fs::remove_all(dir);
}

TEST_CASE("deferrable constraints reach PostgreSQL and survive a dropped table's downgrade",
          "[e2e]") {
  const auto dir = write_migrations(
      "deferrable",
      {{"0001_tables.mig",
        "create table parents {\n"
        "  id bigint primary key\n"
        "  code text not null\n"
        "  unique (code) deferrable initially deferred\n"
        "}\n"
        "create table children {\n"
        "  id bigint primary key\n"
        "  parent_id bigint not null references parents deferrable initially deferred\n"
        "  other_id bigint references parents (id) on delete cascade deferrable\n"
        "}\n"},
       {"0002_pair.mig",
        "alter table children add unique children_pair_key (id, parent_id) "
        "deferrable\n"},
       {"0003_drop.mig", "drop table children\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 2)};
  pqxx::nontransaction q{c};
  std::map<std::string, std::string> deferral;
  for (const auto& row : q.exec("SELECT conname, condeferrable::text || condeferred::text "
                                "FROM pg_constraint WHERE conrelid IN "
                                "('parents'::regclass, 'children'::regclass)"))
    deferral[row[0].as<std::string>()] = row[1].as<std::string>();
  CHECK(deferral["parents_pkey"] == "falsefalse");
  CHECK(deferral["parents_code_key"] == "truetrue");
  CHECK(deferral["children_parent_id_fkey"] == "truetrue");
  CHECK(deferral["children_other_id_fkey"] == "truefalse");
  CHECK(deferral["children_pair_key"] == "truefalse");
  // Deferred to commit: a child may be inserted before its parent in one transaction.
  q.exec0("BEGIN");
  q.exec0("INSERT INTO children (id, parent_id) VALUES (1, 7)");
  q.exec0("INSERT INTO parents (id, code) VALUES (7, 'p7')");
  q.exec0("COMMIT");
  CHECK(q.exec1("SELECT count(*) FROM children")[0].as<int>() == 1);
  fs::remove_all(dir);
}

TEST_CASE("renamed indexes and constraints go up, down and up again", "[e2e]") {
  const auto dir = write_migrations(
      "renames", {{"0001_create.mig",
                   "create table users {\n"
                   "  id bigint primary key\n"
                   "  email text not null\n"
                   "  unique (email)\n"
                   "  check users_email_present (email <> '')\n"
                   "}\n"
                   "create index users_lower_email on users (lower(email))\n"},
                  {"0002_rename.mig",
                   "alter index users_lower_email rename to users_email_lower_idx\n"
                   "alter table users {\n"
                   "  rename constraint users_email_key to users_email_unique\n"
                   "  rename constraint users_email_present to users_email_not_empty\n"
                   "}\n"},
                  // The model follows the renames: the new names are the ones dropped.
                  {"0003_drop.mig",
                   "drop index users_email_lower_idx\n"
                   "alter table users {\n"
                   "  drop constraint users_email_unique\n"
                   "  drop constraint users_email_not_empty\n"
                   "}\n"}});
  round_trip(compile(dir));
  fs::remove_all(dir);
}

TEST_CASE("stored generated columns are computed by PostgreSQL and come back with their table",
          "[e2e]") {
  const auto dir = write_migrations(
      "generated", {{"0001_create.mig",
                     "create table items {\n"
                     "  id bigint primary key\n"
                     "  price numeric not null\n"
                     "  quantity integer not null default 1\n"
                     "  total numeric generated always as (price * quantity) stored\n"
                     "}\n"},
                    {"0002_cents.mig",
                     "alter table items add column price_cents bigint not null generated "
                     "always as ((price * 100)::bigint) stored\n"},
                    // The generated columns follow the renamed column into the downgrade.
                    {"0003_drop.mig",
                     "alter table items rename column price to unit_price\n"
                     "drop table items\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 2)};
  pqxx::nontransaction q{c};
  q.exec0("INSERT INTO items (id, price, quantity) VALUES (1, 2.5, 4)");
  const auto row = q.exec1("SELECT total::text, price_cents FROM items");
  CHECK(row[0].as<std::string>() == "10.0");
  CHECK(row[1].as<long>() == 250);
  fs::remove_all(dir);
}

TEST_CASE("index include, with and nulls not distinct reach PostgreSQL and come back", "[e2e]") {
  const auto dir = write_migrations(
      "index_options",
      {{"0001_create.mig",
        "create table users {\n"
        "  id bigint primary key\n"
        "  email text\n"
        "  name text\n"
        "  unique nulls not distinct (email)\n"
        "}\n"
        "create unique index users_email_name on users (lower(email)) include (name, id) "
        "nulls not distinct with (fillfactor = 70) where id > 0\n"},
       // The downgrade re-creates the index with the included column under its old name.
       {"0002_rename_drop.mig",
        "alter table users rename column name to full_name\n"
        "alter table users drop column full_name\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 1)};
  pqxx::nontransaction q{c};
  CHECK(q.exec1("SELECT pg_get_indexdef('users_email_name'::regclass)")[0].as<std::string>() ==
        "CREATE UNIQUE INDEX users_email_name ON public.users USING btree (lower(email)) INCLUDE "
        "(name, id) NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (id > 0)");
  q.exec0("INSERT INTO users (id) VALUES (1)");
  CHECK_THROWS_AS(q.exec0("INSERT INTO users (id) VALUES (2)"), pqxx::unique_violation);
  fs::remove_all(dir);
}

TEST_CASE("an unlogged table stays unlogged when a downgrade re-creates it", "[e2e]") {
  const auto dir = write_migrations("unlogged", {{"0001_create.mig",
                                                  "create unlogged table sessions_cache {\n"
                                                  "  id bigint primary key\n"
                                                  "  payload jsonb not null\n"
                                                  "}\n"},
                                                 {"0002_drop.mig", "drop table sessions_cache\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  runner.up(plan);
  runner.down(plan, {1, std::nullopt});
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  CHECK(q.exec1("SELECT relpersistence FROM pg_class WHERE relname = 'sessions_cache'")[0]
            .as<std::string>() == "u");
  fs::remove_all(dir);
}

TEST_CASE("sequences keep their options and owners through downgrades", "[e2e]") {
  const auto dir = write_migrations(
      "sequences",
      {{"0001_create.mig",
        "create table invoices {\n"
        "  id bigint primary key\n"
        "  number integer not null\n"
        "}\n"
        "create sequence invoice_numbers as integer increment by 10 minvalue 100 start with "
        "1000 cache 5 owned by invoices.number\n"
        "alter table invoices alter column number set default nextval('invoice_numbers')\n"
        "create sequence tickets\n"},
       {"0002_alter.mig",
        "alter sequence invoice_numbers increment by 20 no minvalue maxvalue 900000 restart "
        "with 2000\n"
        "alter sequence tickets cycle owned by invoices.id\n"},
       {"0003_rename.mig",
        "alter table invoices rename column number to invoice_number\n"
        "rename table invoices to bills\n"},
       // Dropping the column drops the sequence it owns; the downgrade brings both back.
       {"0004_drop.mig",
        "drop sequence tickets\n"
        "alter table bills drop column invoice_number\n"},
       {"0005_drop_table.mig", "drop table bills\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  runner.up(plan, 1);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  q.exec0("INSERT INTO invoices (id) VALUES (1), (2)");
  CHECK(q.exec1("SELECT max(number) FROM invoices")[0].as<int>() == 1010);
  runner.up(plan, 2);
  q.exec0("INSERT INTO invoices (id) VALUES (3), (4)");
  CHECK(q.exec1("SELECT max(number) FROM invoices")[0].as<int>() == 2020);
  CHECK(q.exec1("SELECT seqincrement || ' ' || seqmin || ' ' || seqmax || ' ' || seqcache "
                "FROM pg_sequence WHERE seqrelid = 'invoice_numbers'::regclass")[0]
            .as<std::string>() == "20 1 900000 5");
  // Restored options, but not the value the sequence had reached.
  runner.down(plan, {1, std::nullopt});
  CHECK(q.exec1("SELECT seqincrement || ' ' || seqmin || ' ' || seqmax || ' ' || seqcycle "
                "FROM pg_sequence WHERE seqrelid = 'invoice_numbers'::regclass")[0]
            .as<std::string>() == "10 100 2147483647 false");
  CHECK(q.exec1("SELECT count(*) FROM pg_depend WHERE objid = 'tickets'::regclass AND "
                "deptype = 'a'")[0]
            .as<int>() == 0);
  runner.up(plan, 4);
  CHECK(q.exec1("SELECT to_regclass('invoice_numbers') IS NULL")[0].as<bool>());
  runner.down(plan, {1, std::nullopt});
  CHECK(q.exec1("SELECT pg_get_serial_sequence('bills', 'invoice_number')")[0].as<std::string>() ==
        "public.invoice_numbers");
  CHECK(q.exec1("SELECT pg_get_serial_sequence('bills', 'id')")[0].as<std::string>() ==
        "public.tickets");
  fs::remove_all(dir);
}

TEST_CASE("materialized views, their indexes and refreshes go up, down and up again", "[e2e]") {
  const auto dir = write_migrations(
      "matviews",
      {{"0001_create.mig",
        "create table users {\n"
        "  id bigint primary key\n"
        "  email text not null\n"
        "  created_at timestamptz not null default now()\n"
        "}\n"
        "create materialized view daily_signups as select created_at::date as day, count(id) "
        "as signups from users group by 1\n"
        "create unique index daily_signups_day on daily_signups (day)\n"
        "create materialized view user_emails (id, address) as select id, email from users "
        "with no data\n"},
       {"0002_refresh.mig",
        "refresh materialized view concurrently daily_signups\n"
        "refresh materialized view user_emails\n"},
       {"0003_rename.mig",
        "alter table users rename column email to email_address\n"
        "refresh materialized view user_emails with no data\n"},
       {"0004_drop.mig",
        "drop index daily_signups_day\n"
        "drop materialized view daily_signups\n"
        "drop materialized view user_emails\n"}});
  const auto plan = compile(dir);
  // A concurrent refresh runs in the migration's transaction.
  REQUIRE(plan.migrations[1].up.size() == 2);
  CHECK(plan.migrations[1].up[0].transaction.has_value());
  round_trip(plan);

  const auto url = fresh_database();
  std::ostringstream log;
  mig::Runner runner(url, {}, log);
  runner.up(plan, 1);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  const auto populated = [&] {
    return q.exec1("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'user_emails'")[0]
        .as<bool>();
  };
  q.exec0("INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com')");
  CHECK_FALSE(populated());
  runner.up(plan, 2);
  CHECK(populated());
  CHECK(q.exec1("SELECT signups FROM daily_signups")[0].as<int>() == 2);
  runner.down(plan, {1, std::nullopt});
  CHECK_FALSE(populated());
  // Dropped and re-created by the downgrade: filled by its query, with its unique index.
  runner.up(plan, 4);
  runner.down(plan, {1, std::nullopt});
  CHECK(q.exec1("SELECT signups FROM daily_signups")[0].as<int>() == 2);
  CHECK(q.exec1("SELECT count(*) FROM pg_indexes WHERE indexname = 'daily_signups_day'")[0]
            .as<int>() == 1);
  // Emptied by 0003, and filled again by its downgrade.
  CHECK_FALSE(populated());
  runner.down(plan, {1, std::nullopt});
  CHECK(populated());
  fs::remove_all(dir);
}

TEST_CASE("moves, persistence, identity changes, reindex and partial set null round-trip",
          "[e2e]") {
  const auto dir = write_migrations(
      "table_actions", {{"0001_create.mig",
                         "create schema archive\n"
                         "create table events {\n"
                         "  id      bigint generated always as identity primary key\n"
                         "  payload text not null\n"
                         "}\n"
                         "create index events_payload\n"
                         "    on events (payload)\n"
                         "create table notes {\n"
                         "  event_id bigint not null\n"
                         "             references events (id)\n"
                         "  body     text\n"
                         "}\n"
                         "create table invoices {\n"
                         "  number bigint not null\n"
                         "  total  numeric not null\n"
                         "}\n"
                         "create table legacy {\n"
                         "  id    integer generated always as identity\n"
                         "  label text\n"
                         "}\n"
                         "create table projects {\n"
                         "  tenant_id bigint not null\n"
                         "  id        bigint not null\n"
                         "  primary key (tenant_id, id)\n"
                         "}\n"
                         "create table tasks {\n"
                         "  tenant_id  bigint not null\n"
                         "  id         bigint primary key\n"
                         "  project_id bigint\n"
                         "}\n"},
                        {"0002_rows.mig",
                         "sql {\n"
                         "  insert into invoices (number, total) values (5, 1), (9, 2);\n"
                         "  insert into projects values (1, 1);\n"
                         "  insert into tasks values (1, 1, 1);\n"
                         "} down {\n"
                         "  delete from tasks; delete from projects; delete from invoices;\n"
                         "}\n"},
                        {"0003_move.mig",
                         "alter table events set schema archive\n"
                         "alter table notes set unlogged\n"},
                        {"0004_identity.mig",
                         "alter table invoices alter column number\n"
                         "    add generated by default as identity\n"
                         "alter table legacy alter column id drop identity\n"},
                        {"0005_reindex.mig",
                         "reindex index concurrently archive.events_payload\n"
                         "reindex table archive.events\n"},
                        {"0006_fk.mig",
                         "alter table tasks {\n"
                         "  add foreign key tasks_project_fk (tenant_id, project_id)\n"
                         "      references projects (tenant_id, id)\n"
                         "      on delete set null (project_id)\n"
                         "  rename column project_id to project\n"
                         "}\n"},
                        {"0007_logged.mig", "alter table notes set logged\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  const auto url = applied(plan, 7);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  // The new identity continues after the rows' largest value.
  CHECK(q.exec1("INSERT INTO invoices (total) VALUES (3) RETURNING number")[0].as<int>() == 10);
  CHECK(q.exec1("SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = "
                "'events_payload'")[0]
            .as<std::string>() == "archive");
  CHECK(
      q.exec1("SELECT relpersistence FROM pg_class WHERE relname = 'notes'")[0].as<std::string>() ==
      "p");
  // `set null (project_id)` keeps the tenant of the task whose project goes.
  q.exec0("DELETE FROM projects");
  const auto task = q.exec1("SELECT tenant_id, project FROM tasks");
  CHECK(task[0].as<int>() == 1);
  CHECK(task[1].is_null());
  fs::remove_all(dir);
}

TEST_CASE("exclusion constraints refuse overlaps and come back with their table", "[e2e]") {
  const auto dir = write_migrations(
      "exclusion",
      {{"0001_create.mig",
        "create extension btree_gist\n"
        "create table bookings {\n"
        "  id      bigint primary key\n"
        "  room_id bigint not null\n"
        "  during  tstzrange not null\n"
        "  status  text not null default 'held'\n"
        "  exclude using gist (room_id with =, during with &&)\n"
        "      where (status <> 'cancelled')\n"
        "}\n"},
       {"0002_rename.mig", "alter table bookings rename column during to period\n"},
       {"0003_named.mig",
        "alter table bookings {\n"
        "  drop constraint bookings_room_id_during_excl\n"
        "  add exclude bookings_no_overlap using gist (room_id with =, period with &&)\n"
        "      deferrable\n"
        "}\n"},
       {"0004_drop.mig", "drop table bookings\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  const auto url = applied(plan, 3);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  q.exec0("INSERT INTO bookings VALUES (1, 7, '[2026-01-01,2026-01-03)', 'held')");
  CHECK_THROWS_AS(q.exec0("INSERT INTO bookings VALUES (2, 7, '[2026-01-02,2026-01-04)', 'held')"),
                  pqxx::sql_error);
  q.exec0("INSERT INTO bookings VALUES (3, 8, '[2026-01-02,2026-01-04)', 'held')");
  fs::remove_all(dir);
}

TEST_CASE("partitioned tables, partitions, attach and detach go up, down and up again",
          "[e2e][partitions]") {
  const auto dir = write_migrations(
      "partitions",
      {{"0001_create.mig",
        "create table events {\n"
        "  id         bigint generated always as identity\n"
        "  created_at timestamptz not null\n"
        "  kind       text not null default 'none'\n"
        "  primary key (id, created_at)\n"
        "} partition by range (created_at)\n"
        "create table events_2024 partition of events for values from ('2024-01-01') to "
        "('2025-01-01')\n"
        "create table events_2023 partition of events for values from ('2023-01-01') to "
        "('2024-01-01')\n"
        "create table events_2022 partition of events for values from ('2022-01-01') to "
        "('2023-01-01')\n"
        "create table events_rest partition of events default\n"
        "create index events_kind_idx on events (kind)\n"
        "create table tickets { id bigint not null, region text not null } partition by list "
        "(region)\n"
        "create table tickets_eu partition of tickets for values in ('de', 'fr') partition by "
        "hash (id)\n"
        "create table tickets_eu_0 partition of tickets_eu for values with (modulus 2, "
        "remainder 0)\n"
        "create table tickets_eu_1 partition of tickets_eu for values with (modulus 2, "
        "remainder 1)\n"
        "create table tickets_us { id bigint not null, region text not null }\n"},
       {"0002_attach.mig",
        "alter table tickets_us add check tickets_us_bound (region in ('us')) not valid\n"},
       {"0003_attach.mig",
        "alter table tickets_us validate constraint tickets_us_bound\n"
        "alter table tickets attach partition tickets_us for values in ('us')\n"
        "alter table tickets_us drop constraint tickets_us_bound\n"},
       {"0004_detach.mig", "alter table events detach partition events_2022\n"},
       {"0005_detach_concurrently.mig",
        "alter table tickets detach partition tickets_us concurrently\n"},
       {"0006_add_column.mig", "alter table events add column note text\n"},
       {"0007_drop.mig", "drop table events\ndrop table tickets\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  fs::remove_all(dir);
}

TEST_CASE(
    "an attached table gets copies of its parent's indexes and keys, which its "
    "downgrade drops and a detached table keeps",
    "[e2e][partitions]") {
  const auto dir = write_migrations(
      "partition_copies",
      {{"0001_create.mig",
        "create table audit {\n"
        "  id bigint not null\n"
        "  at timestamptz not null\n"
        "  actor bigint\n"
        "  action text not null\n"
        "  primary key (id, at)\n"
        "  unique (action, at)\n"
        "} partition by range (at)\n"
        "create index audit_actor on audit (actor)\n"
        "create index audit_action on audit (lower(action))\n"
        "create table audit_2025 { id bigint not null, at timestamptz not null, actor bigint, "
        "action text not null }\n"
        // Matches the parent's index on actor: PostgreSQL attaches it instead of building one.
        "create index audit_2025_by_actor on audit_2025 (actor)\n"},
       {"0002_attach.mig",
        "alter table audit attach partition audit_2025 for values from ('2025-01-01') to "
        "('2026-01-01')\n"},
       {"0003_detach.mig", "alter table audit detach partition audit_2025\n"},
       // The copies are the detached table's own now, under the names PostgreSQL gave them.
       {"0004_drop_copies.mig",
        "drop index audit_2025_lower_idx\n"
        "alter table audit_2025 drop constraint audit_2025_action_at_key\n"
        "alter table audit_2025 drop constraint audit_2025_pkey\n"}});
  const auto plan = compile(dir);
  round_trip(plan);
  pqxx::connection c{applied(plan, 3)};
  pqxx::nontransaction q{c};
  CHECK(q.exec1(
             "SELECT string_agg(indexrelid::regclass::text, ', ' ORDER BY "
             "indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'audit_2025'::regclass")[0]
            .as<std::string>() ==
        "audit_2025_action_at_key, audit_2025_by_actor, audit_2025_lower_idx, audit_2025_pkey");
  fs::remove_all(dir);
}

TEST_CASE(
    "comments on views, indexes, constraints, triggers, functions and sequences survive "
    "every downgrade that re-creates them",
    "[e2e]") {
  const auto dir = write_migrations(
      "object-comments",
      {{"0001_create.mig",
        "create type state as enum ('open', 'paid')\n"
        "create table orders {\n"
        "  id bigint primary key\n"
        "  total numeric not null\n"
        "  state state not null default 'open'\n"
        "  note text\n"
        "  updated_at timestamptz\n"
        "  check total_not_negative (total >= 0)\n"
        "}\n"
        "create index orders_note_idx on orders (note)\n"
        "create index orders_open_idx on orders (id) where state = 'open'\n"
        "alter table orders add check note_short (length(note) < 100) not valid\n"
        "create function touch() returns trigger language plpgsql as $$ begin new.updated_at = "
        "now(); return new; end $$\n"
        "create trigger orders_touch before update on orders for each row execute function "
        "touch()\n"
        "create view open_orders as select id, state from orders where state = 'open'\n"
        "create materialized view order_totals as select count(*) as orders from orders\n"
        "create unique index order_totals_orders_idx on order_totals (orders)\n"
        "create sequence order_numbers owned by orders.note\n"},
       {"0002_comment.mig",
        "comment on view open_orders is 'orders not yet paid'\n"
        "comment on materialized view order_totals is 'refreshed nightly'\n"
        "comment on index orders_note_idx is 'search by note'\n"
        "comment on index orders_open_idx is 'the open ones'\n"
        "comment on index order_totals_orders_idx is 'for concurrent refreshes'\n"
        "comment on constraint total_not_negative on orders is 'refunds are rows of their own'\n"
        "comment on constraint note_short on orders is 'short notes'\n"
        "comment on constraint orders_pkey on orders is 'the order id'\n"
        "comment on trigger orders_touch on orders is 'keeps updated_at'\n"
        "comment on function touch is 'sets updated_at'\n"
        "comment on sequence order_numbers is 'numbers for notes'\n"},
       {"0003_replace.mig",
        "create or replace function touch() returns trigger language plpgsql as $$ begin "
        "new.updated_at = clock_timestamp(); return new; end $$\n"
        "create or replace view open_orders as select id, state, total from orders where state = "
        "'open'\n"
        "alter table orders validate constraint note_short\n"},
       // Each of these downgrades re-creates commented objects.
       {"0004_state.mig", "alter type state add value 'refunded'\n"},
       {"0005_drop_column.mig", "alter table orders drop column note\n"},
       {"0006_drop.mig",
        "drop view open_orders\n"
        "drop materialized view order_totals\n"
        "drop trigger orders_touch on orders\n"
        "drop function touch()\n"
        "drop table orders\n"}});
  const auto plan = compile(dir);
  round_trip(plan);

  const auto url = applied(plan, 3);
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  CHECK(q.exec1("SELECT obj_description('public.open_orders'::regclass, 'pg_class')")[0]
            .as<std::string>() == "orders not yet paid");
  CHECK(q.exec1("SELECT obj_description('public.touch()'::regprocedure, 'pg_proc')")[0]
            .as<std::string>() == "sets updated_at");
  CHECK(q.exec1("SELECT count(*) FROM pg_description d JOIN pg_constraint c ON c.oid = d.objoid "
                "WHERE c.conname IN ('total_not_negative', 'note_short', 'orders_pkey')")[0]
            .as<int>() == 3);
  fs::remove_all(dir);
}
