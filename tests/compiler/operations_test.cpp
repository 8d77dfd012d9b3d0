// Each operation: its effect on the schema model, its steps' lock facts and transaction
// placement, and whether its migration can be reverted. (The exact SQL is covered by the
// golden cases in tests/golden.)

#include <catch2/catch.hpp>

#include "compiler/plan/compiler.hpp"

namespace {

const char* kUsers =
    "create table users {\n"
    "  id bigint primary key generated always as identity\n"
    "  email text not null unique\n"
    "  name text\n"
    "}\n"
    "create index users_name_idx on users (name)\n";

// Compiles `users` as 0001 and `change` as 0002; fails the test on compile errors.
mig::Compilation compile(const std::string& change) {
  auto c = mig::compile_sources({{"0001_users.mig", kUsers}, {"0002_change.mig", change}});
  std::string errors;
  for (const auto& d : c.diagnostics) errors += mig::render(d);
  INFO(errors);
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  return c;
}

std::string first_error(const std::string& change) {
  auto c = mig::compile_sources({{"0001_users.mig", kUsers}, {"0002_change.mig", change}});
  REQUIRE(mig::has_errors(c.diagnostics));
  return c.diagnostics.front().message;
}

const mig::Table& users(const mig::Compilation& c) {
  const auto* t = c.model.find_table({"public", "users"});
  REQUIRE(t);
  return *t;
}

mig::PlanMigration change(const mig::Compilation& c) { return c.plan().migrations.back(); }

mig::LockFacts lock(std::initializer_list<mig::TableLock> locks, bool rewrites = false,
                    bool scans = false) {
  return {locks, rewrites, scans};
}

}  // namespace

TEST_CASE("create table builds the model and drops it on the way down", "[operations]") {
  const auto c =
      compile("create table orgs { id bigint primary key; owner bigint references users }");
  const auto* orgs = c.model.find_table({"public", "orgs"});
  REQUIRE(orgs);
  CHECK(orgs->version == 2);
  REQUIRE(orgs->constraints.size() == 2);
  CHECK(orgs->constraints[1].name == "orgs_owner_fkey");
  CHECK(orgs->constraints[1].references->columns == std::vector<std::string>{"id"});
  CHECK(orgs->find_column("id")->not_null);  // primary key
  const auto m = change(c);
  CHECK(m.reversibility == mig::Reversibility::Reversible);
  CHECK(m.up[0].lock == lock({{"public", "users", mig::LockMode::ShareRowExclusive}}));
  CHECK(m.down[0].lock == lock({{"public", "orgs", mig::LockMode::AccessExclusive},
                                {"public", "users", mig::LockMode::AccessExclusive}}));
}

TEST_CASE("drop table is lossy and re-creates the table with its index", "[operations]") {
  const auto c = compile("drop table users");
  CHECK_FALSE(c.model.find_table({"public", "users"}));
  const auto m = change(c);
  CHECK(m.reversibility == mig::Reversibility::Lossy);
  REQUIRE(m.down.size() == 2);
  CHECK(m.down[0].sql.starts_with("CREATE TABLE \"public\".\"users\""));
  CHECK(m.down[1].sql == "CREATE INDEX \"users_name_idx\" ON \"public\".\"users\" (\"name\")");
  CHECK(m.down[0].transaction == m.down[1].transaction);
}

TEST_CASE("rename table keeps foreign keys pointing at it", "[operations]") {
  auto c = mig::compile_sources({{"0001_users.mig", kUsers},
                                 {"0002_orgs.mig",
                                  "create table orgs { id bigint primary key; "
                                  "owner bigint references users }"},
                                 {"0003_rename.mig", "rename table users to members"}});
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  const auto* orgs = c.model.find_table({"public", "orgs"});
  CHECK(orgs->constraints[1].references->table == mig::ObjectName{"public", "members"});
  CHECK(c.model.find_table({"public", "members"}));
}

TEST_CASE("add column: constant default is catalog-only, volatile rewrites", "[operations]") {
  const auto constant =
      compile("alter table users add column status text not null default 'active'");
  CHECK(users(constant).find_column("status")->default_expr == "'active'");
  CHECK(change(constant).up[0].lock == lock({{"public", "users", mig::LockMode::AccessExclusive}}));

  const auto volatile_default =
      compile("alter table users add column token text default gen_random_uuid()::text");
  CHECK(change(volatile_default).up[0].lock.rewrites_table);

  const auto no_default = compile("alter table users add column age bigint not null");
  CHECK(change(no_default).up[0].lock.scans_table);
  CHECK(change(no_default).reversibility == mig::Reversibility::Reversible);
}

TEST_CASE("drop column removes what involved it and is lossy", "[operations]") {
  const auto c = compile("alter table users drop column name");
  CHECK_FALSE(users(c).find_column("name"));
  CHECK(users(c).indexes.empty());
  const auto m = change(c);
  CHECK(m.reversibility == mig::Reversibility::Lossy);
  REQUIRE(m.down.size() == 2);  // the column, then its index
  CHECK(m.down[0].sql == "ALTER TABLE \"public\".\"users\" ADD COLUMN \"name\" text");
  CHECK(m.down[1].sql.find("users_name_idx") != std::string::npos);
}

TEST_CASE("rename column follows into constraints and index keys", "[operations]") {
  const auto c =
      compile("alter table users { rename column email to mail; rename column name to n }");
  CHECK(users(c).find_constraint("users_email_key")->columns == std::vector<std::string>{"mail"});
  CHECK(users(c).indexes[0].keys[0].column == "n");
  CHECK(users(c).indexes[0].keys[0].sql == "\"n\"");
}

TEST_CASE("alter column type knows which changes rewrite", "[operations]") {
  auto c = mig::compile_sources(
      {{"0001_t.mig", "create table t { id bigint primary key; v varchar(10); n numeric(5, 2) }"},
       {"0002_change.mig",
        "alter table t {\n  alter column v type varchar(20)\n  alter column v type text\n"
        "  alter column n type numeric(8, 2)\n  alter column id type numeric\n}"}});
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  const auto up = c.plan().migrations.back().up;
  CHECK_FALSE(up[0].lock.rewrites_table);
  CHECK_FALSE(up[1].lock.rewrites_table);
  CHECK_FALSE(up[2].lock.rewrites_table);
  CHECK(up[3].lock.rewrites_table);
  CHECK(c.model.find_table({"public", "t"})->find_column("v")->type == "text");
}

TEST_CASE("set not null scans unless a valid check proves the column", "[operations]") {
  const auto plain = compile("alter table users alter column name set not null");
  CHECK(users(plain).find_column("name")->not_null);
  CHECK(change(plain).up[0].lock.scans_table);
  CHECK(change(plain).down[0].sql.ends_with("DROP NOT NULL"));

  const auto proven = compile(
      "alter table users {\n  add check name_nn (name is not null)\n"
      "  alter column name set not null\n}");
  CHECK_FALSE(change(proven).up[1].lock.scans_table);
}

TEST_CASE("defaults: set and drop restore the previous default", "[operations]") {
  const auto c = compile("alter table users alter column name set default 'x'");
  CHECK(users(c).find_column("name")->default_expr == "'x'");
  CHECK(change(c).down[0].sql.ends_with("DROP DEFAULT"));
  auto c2 =
      mig::compile_sources({{"0001_users.mig", kUsers},
                            {"0002_a.mig", "alter table users alter column name set default 'x'"},
                            {"0003_b.mig", "alter table users alter column name drop default"}});
  REQUIRE_FALSE(mig::has_errors(c2.diagnostics));
  CHECK(c2.plan().migrations.back().down[0].sql.ends_with("SET DEFAULT 'x'"));
}

TEST_CASE("constraints: not valid, validate in its own transaction, using index", "[operations]") {
  const auto c = compile(
      "alter table users add check email_nonempty (email <> '') not valid\n"
      "alter table users validate constraint email_nonempty\n");
  CHECK(users(c).find_constraint("email_nonempty")->validated);
  const auto m = change(c);
  CHECK_FALSE(m.up[0].lock.scans_table);
  CHECK(m.up[1].lock ==
        lock({{"public", "users", mig::LockMode::ShareUpdateExclusive}}, false, true));
  CHECK(m.up[0].transaction == 1);
  CHECK(m.up[1].transaction == 2);  // the add commits before the scan

  const auto attached = compile(
      "create unique index concurrently users_name_key on users (name)\n"
      "alter table users add unique using index users_name_key\n");
  CHECK(users(attached).find_constraint("users_name_key"));
  CHECK(users(attached).indexes.size() == 1);  // the index now belongs to the constraint
  CHECK_FALSE(change(attached).up[0].transaction);
  CHECK(change(attached).down.back().sql.starts_with("DROP INDEX CONCURRENTLY"));
}

TEST_CASE("drop constraint re-adds it as it was", "[operations]") {
  const auto c = compile("alter table users drop constraint users_email_key");
  CHECK_FALSE(users(c).find_constraint("users_email_key"));
  CHECK(change(c).down[0].sql ==
        "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_email_key\" UNIQUE (\"email\")");
}

TEST_CASE("indexes: concurrently runs alone, plain takes SHARE", "[operations]") {
  const auto c = compile(
      "create index concurrently users_email_idx on users (lower(email)) where name is null\n"
      "drop index users_name_idx\n");
  CHECK(users(c).indexes.size() == 1);
  const auto m = change(c);
  CHECK_FALSE(m.up[0].transaction);
  CHECK(m.up[0].lock ==
        lock({{"public", "users", mig::LockMode::ShareUpdateExclusive}}, false, true));
  CHECK(m.up[1].transaction == 1);
  CHECK(m.up[1].lock == lock({{"public", "users", mig::LockMode::AccessExclusive}}));
  CHECK(m.down[0].sql == "CREATE INDEX \"users_name_idx\" ON \"public\".\"users\" (\"name\")");
}

TEST_CASE("raw sql: reversible with down, irreversible without", "[operations]") {
  const auto with_down =
      compile("sql { create index concurrently x on users (name) } down { drop index x }");
  CHECK_FALSE(change(with_down).up[0].transaction);
  CHECK(change(with_down).reversibility == mig::Reversibility::Reversible);
  const auto without = compile("sql { update users set name = 'a' }");
  CHECK(change(without).reversibility == mig::Reversibility::Irreversible);
  CHECK(change(without).down.empty());
  CHECK(change(without).up[0].kind == mig::StepKind::Data);
}

TEST_CASE("every step records the line of the statement it comes from", "[operations]") {
  const auto c = compile(
      "# lines of statements\n"
      "alter table users {\n"
      "  add column a text\n"
      "  add column b text\n"
      "}\n"
      "\n"
      "sql {\n"
      "  select 1;\n"
      "  select 2\n"
      "} down {\n"
      "  select 3\n"
      "}\n"
      "create index concurrently users_a_idx on users (a)\n");
  const auto m = change(c);
  std::vector<int> up, down;
  for (const auto& s : m.up) up.push_back(s.source_line);
  for (const auto& s : m.down) down.push_back(s.source_line);
  CHECK(up == std::vector<int>{3, 4, 8, 9, 13});
  CHECK(down == std::vector<int>{13, 7, 4, 3});
}

TEST_CASE("a renamed unlogged table's serial sequence comes back unlogged", "[operations]") {
  const auto c = mig::compile_sources(
      {{"0001_notes.mig", "create unlogged table notes { id bigserial primary key }"},
       {"0002_rename.mig", "rename table notes to jottings"},
       {"0003_drop.mig", "drop table jottings"}});
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  const auto down = c.plan().migrations.back().down;
  REQUIRE_FALSE(down.empty());
  CHECK(down[0].sql == "CREATE UNLOGGED SEQUENCE \"public\".\"notes_id_seq\" AS bigint");
}

TEST_CASE("statements' effects reach the observer, and stay only when asked for", "[planner]") {
  const std::vector<mig::SourceText> sources = {
      {"0001_users.mig", kUsers},
      {"0002_change.mig", "sql { select 1; select 2 } down { select 3 }"}};
  std::vector<std::size_t> observed;
  mig::CompileOptions options;
  options.migration_observer = [&](const mig::CompiledMigration& m, const mig::SchemaModel&) {
    observed.push_back(m.statements.size());
  };
  const auto dropped = mig::compile_sources(sources, options);
  REQUIRE_FALSE(mig::has_errors(dropped.diagnostics));
  CHECK(observed == std::vector<std::size_t>{2, 2});
  CHECK(dropped.migrations[0].statements.empty());
  CHECK(dropped.migrations[1].statements.empty());
  options.keep_statements = true;
  const auto kept = mig::compile_sources(sources, options);
  CHECK(kept.migrations[0].statements.size() == 2);
  REQUIRE(kept.migrations[1].statements.size() == 2);
  CHECK(kept.migrations[1].statements[1].first_step == 1);
}

TEST_CASE("backfill walks the primary key in batches", "[operations]") {
  const auto c = compile("backfill users set name = lower(email) where name is null batch 250");
  const auto s = change(c).up[0];
  CHECK(s.kind == mig::StepKind::Backfill);
  REQUIRE(s.backfill);
  CHECK(s.backfill->key_columns == std::vector<std::string>{"\"id\""});
  CHECK(s.backfill->batch_size == 250);
  CHECK(s.backfill->where == "name is null");
  CHECK(change(c).reversibility == mig::Reversibility::Lossy);
}

TEST_CASE("semantic errors name what is wrong", "[operations]") {
  CHECK(first_error("alter table user add column x text") == "table `public.user` does not exist");
  CHECK(first_error("alter table users drop column mail") ==
        "column `mail` does not exist in table `public.users`");
  CHECK(first_error("create index users_name_idx on users (email)") ==
        "`public.users_name_idx` is already the name of a table or index");
  CHECK(first_error("alter table users add primary key (email)") ==
        "table `public.users` already has a primary key `users_pkey`");
  CHECK(first_error("alter table users alter column email set not null") ==
        "column `email` is already not null");
}

TEST_CASE("what the parser reads but the language forbids is reported when resolved",
          "[operations]") {
  CHECK(first_error("sql { begin; create table x (a int); commit }") ==
        "a `sql` block must not begin, commit or roll back transactions");
  CHECK(first_error("sql { select 1 } down { commit }") ==
        "a `sql` block must not begin, commit or roll back transactions");
  CHECK(first_error("backfill users set name = 'x' batch 0") ==
        "the batch size must be between 1 and 10000000");
  CHECK(first_error("backfill users set name = 'x' batch 99999999999") ==
        "the batch size must be between 1 and 10000000");
  CHECK(first_error("create table t { a int null not null }") ==
        "column `a` is declared both `null` and `not null`");
  CHECK(first_error("alter table users add column n bigint null primary key") ==
        "column `n` is declared both `null` and `not null`");
  CHECK(first_error("create table t { a int generated always as identity default 1 }") ==
        "identity column `a` cannot have a default");
  CHECK(first_error("create table t { }") == "table `public.t` needs at least one column");
  CHECK(first_error("create table t { a int\n  unique using index users_name_idx }")
            .starts_with("`using index` attaches an existing index"));
}

TEST_CASE("transactions: steps that must run alone split the transactions", "[planner]") {
  std::vector<mig::PlanStep> steps(4);
  for (auto& s : steps) s.transaction = 0;
  steps[2].transaction.reset();
  mig::plan_transactions(steps);
  CHECK(steps[0].transaction == 1);
  CHECK(steps[1].transaction == 1);
  CHECK_FALSE(steps[2].transaction);
  CHECK(steps[3].transaction == 2);
}
