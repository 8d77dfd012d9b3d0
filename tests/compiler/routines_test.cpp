// Functions, triggers and views: what the model keeps, the downgrades derived from it,
// the lock facts of their steps and the dependencies that make a statement an error.

#include <catch2/catch.hpp>

#include "compiler/plan/compiler.hpp"

namespace {

const char* kUsers =
    "create table users {\n"
    "  id bigint primary key generated always as identity\n"
    "  email text not null\n"
    "  name text\n"
    "  updated_at timestamptz\n"
    "}\n";

const char* kTouch =
    "create function touch() returns trigger language plpgsql as $$\n"
    "begin\n"
    "  new.updated_at := now();\n"
    "  return new;\n"
    "end\n"
    "$$\n";

mig::Compilation compile(std::vector<std::string> changes) {
  std::vector<mig::SourceText> sources{{"0001_users.mig", kUsers}};
  for (std::size_t i = 0; i < changes.size(); ++i)
    sources.push_back({fmt::format("{:04}_change.mig", i + 2), changes[i]});
  auto c = mig::compile_sources(sources);
  std::string errors;
  for (const auto& d : c.diagnostics) errors += mig::render(d);
  INFO(errors);
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  return c;
}

std::string first_error(std::vector<std::string> changes) {
  std::vector<mig::SourceText> sources{{"0001_users.mig", kUsers}};
  for (std::size_t i = 0; i < changes.size(); ++i)
    sources.push_back({fmt::format("{:04}_change.mig", i + 2), changes[i]});
  auto c = mig::compile_sources(sources);
  REQUIRE(mig::has_errors(c.diagnostics));
  return c.diagnostics.front().message;
}

std::vector<std::string> sql_of(const std::vector<mig::PlanStep>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.sql);
  return out;
}

}  // namespace

TEST_CASE("functions are kept by name and argument types with their definition",
          "[operations][routines]") {
  const auto c = compile({kTouch,
                          "create function f(a integer, out b text) returns record language sql "
                          "as $$ select 'x' $$\n"
                          "create function f(a int8, variadic rest text[]) returns int language "
                          "sql as $$ select 1 $$\n"});
  const auto* touch = c.model.find_function({"public", "touch"}, {});
  REQUIRE(touch);
  CHECK(touch->definition.starts_with("() returns trigger language plpgsql as $$\nbegin"));
  CHECK(touch->version == 2);
  CHECK(c.model.find_function({"public", "f"}, {"int4"}));
  CHECK(c.model.find_function({"public", "f"}, {"int8", "text[]"}));
  CHECK(c.model.functions_named({"public", "f"}).size() == 2);
  const auto m = c.plan().migrations.back();
  CHECK(sql_of(m.down) == std::vector<std::string>{"DROP FUNCTION \"public\".\"f\"(int8, text[])",
                                                   "DROP FUNCTION \"public\".\"f\"(int4)"});
  CHECK(m.up[0].lock.locks.empty());
}

TEST_CASE("create or replace function: the downgrade restores the previous definition",
          "[operations][routines]") {
  const auto c =
      compile({kTouch,
               "create or replace function touch() returns trigger language plpgsql as $$ begin "
               "return new; end $$\n"});
  const auto m = c.plan().migrations.back();
  REQUIRE(m.down.size() == 1);
  CHECK(m.down[0].sql ==
        "CREATE OR REPLACE FUNCTION \"public\".\"touch\"() returns trigger language plpgsql as "
        "$$\nbegin\n  new.updated_at := now();\n  return new;\nend\n$$");
  CHECK(c.model.find_function({"public", "touch"}, {})->definition ==
        "() returns trigger language plpgsql as $$ begin return new; end $$");
  CHECK(first_error({kTouch, kTouch}) == "function `public.touch()` already exists");
}

TEST_CASE("drop function re-creates it on the way down and refuses while a trigger runs it",
          "[operations][routines]") {
  const auto c = compile({kTouch, "drop function touch()"});
  CHECK_FALSE(c.model.find_function({"public", "touch"}, {}));
  const auto m = c.plan().migrations.back();
  CHECK(m.down[0].sql.starts_with("CREATE FUNCTION \"public\".\"touch\"() returns trigger"));
  CHECK(first_error({kTouch,
                     "create trigger t before update on users for each row execute function "
                     "touch()\ndrop function touch"}) ==
        "function `public.touch()` is executed by trigger `t` on table `public.users`");
  CHECK(first_error({"drop function nope(int)"}) == "function `public.nope(int4)` does not exist");
}

TEST_CASE("triggers live on their table: SHARE ROW EXCLUSIVE, renames, drop table's downgrade",
          "[operations][routines]") {
  const auto c = compile({kTouch,
                          "create trigger users_touch before update of email on users for each "
                          "row execute function touch()",
                          "rename table users to accounts", "drop table accounts"});
  const auto plan = c.plan();
  const auto& create = plan.migrations[2];
  REQUIRE(create.up.size() == 1);
  CHECK(create.up[0].sql ==
        "CREATE TRIGGER \"users_touch\" before update of email ON \"public\".\"users\" for each "
        "row EXECUTE FUNCTION \"public\".\"touch\"()");
  CHECK(create.up[0].lock.locks ==
        std::vector<mig::TableLock>{{"public", "users", mig::LockMode::ShareRowExclusive}});
  CHECK(sql_of(create.down) ==
        std::vector<std::string>{"DROP TRIGGER \"users_touch\" ON \"public\".\"users\""});
  CHECK(create.down[0].lock.locks ==
        std::vector<mig::TableLock>{{"public", "users", mig::LockMode::AccessExclusive}});
  const auto& drop = plan.migrations[4];
  REQUIRE(drop.down.size() == 2);
  CHECK(drop.down[1].sql ==
        "CREATE TRIGGER \"users_touch\" before update of email ON \"public\".\"accounts\" for "
        "each row EXECUTE FUNCTION \"public\".\"touch\"()");
  CHECK(first_error({kTouch,
                     "create trigger t before update of email on users for each row execute "
                     "function touch()",
                     "alter table users drop column email"}) ==
        "cannot drop column `email` of table `public.users`: trigger `t` names it");
  CHECK(first_error({"create trigger t after insert on users execute function nope()"}) ==
        "function `public.nope()` does not exist");
  CHECK(first_error({"drop trigger t on users"}) == "table `public.users` has no trigger `t`");
}

TEST_CASE("views record what they read; dropping or retyping it is an error naming the view",
          "[operations][routines]") {
  const auto c = compile({"create view named as select u.id, name from users u where email <> ''"});
  const auto* view = c.model.find_view({"public", "named"});
  REQUIRE(view);
  CHECK(view->reads == std::vector<mig::ObjectName>{{"public", "users"}});
  CHECK(view->columns_read.size() == 3);
  CHECK(view->reads_column({"public", "users"}, "email"));
  CHECK(c.model.relation_exists({"public", "named"}));
  const std::string v = "create view named as select id, name from users";
  CHECK(first_error({v, "alter table users drop column name"}) ==
        "cannot drop column `name` of table `public.users`: view `public.named` reads it");
  CHECK(first_error({v, "alter table users alter column id type int"}) ==
        "cannot change the type of column `id` of table `public.users`: view `public.named` "
        "reads it");
  CHECK(first_error({v, "drop table users"}) ==
        "cannot drop `public.users`: view `public.named` reads it");
  CHECK(first_error({v, "create view v2 as select id from named", "drop view named"}) ==
        "view `public.named` is read by view `public.v2`");
  CHECK(first_error({"create view all_users as select * from users"})
            .starts_with("a view's `*` is expanded"));
  CHECK(first_error({"create view x as select u.nope from users u"}) ==
        "table `public.users` has no column `nope`");
  CHECK(first_error({"create table named { id int }", "create view named as select 1 as one"}) ==
        "`public.named` is already the name of a table or index");
}

TEST_CASE("replacing and dropping a view: locks and downgrades", "[operations][routines]") {
  const auto c =
      compile({"create view v as select id, email from users",
               "create or replace view v as select id, lower(email) as email from users",
               "create or replace view v as select id, email, name from users", "drop view v"});
  const auto plan = c.plan();
  const auto& same = plan.migrations[2];
  CHECK(sql_of(same.down) ==
        std::vector<std::string>{
            "CREATE OR REPLACE VIEW \"public\".\"v\" AS select id, email from users"});
  CHECK(same.up[0].lock.locks ==
        std::vector<mig::TableLock>{{"public", "v", mig::LockMode::AccessExclusive}});
  CHECK(plan.migrations[1].up[0].lock.locks.empty());
  const auto& wider = plan.migrations[3];
  CHECK(sql_of(wider.down) ==
        std::vector<std::string>{
            "DROP VIEW \"public\".\"v\"",
            "CREATE VIEW \"public\".\"v\" AS select id, lower(email) as email from users"});
  const auto& drop = plan.migrations[4];
  CHECK(drop.up[0].lock.locks ==
        std::vector<mig::TableLock>{{"public", "v", mig::LockMode::AccessExclusive}});
  CHECK(sql_of(drop.down) ==
        std::vector<std::string>{
            "CREATE VIEW \"public\".\"v\" AS select id, email, name from users"});
}

TEST_CASE("views follow renames in their stored query", "[operations][routines]") {
  const auto c =
      compile({"create view v as select id, email, users.name as label from users "
               "where email <> ''",
               "rename table users to accounts\n"
               "alter table accounts rename column email to address"});
  const auto* view = c.model.find_view({"public", "v"});
  REQUIRE(view);
  CHECK(view->stale.empty());
  CHECK(view->query ==
        "select id, \"address\" AS \"email\", \"accounts\".name as label from "
        "\"public\".\"accounts\" where \"address\" <> ''");
  CHECK(view->reads == std::vector<mig::ObjectName>{{"public", "accounts"}});
  CHECK(view->reads_column({"public", "accounts"}, "address"));

  const auto nested =
      compile({"create view v as select id from users where email in (select "
               "email from users where name is null)",
               "alter table users rename column email to address"});
  CHECK_FALSE(nested.model.find_view({"public", "v"})->stale.empty());
  CHECK(first_error({"create view v as select id from users where email in (select email from "
                     "users where name is null)",
                     "alter table users rename column email to address", "drop view v"})
            .starts_with("the downgrade must re-create view `public.v`, whose definition mig "
                         "could not follow: migration 3 renamed column `email`"));
}

TEST_CASE("RETURN NEXT without a value is right where OUT or TABLE parameters are the row",
          "[operations][routines]") {
  const auto with = [](const std::string& parameters, const std::string& returns) {
    return mig::compile_sources(
        {{"0001_f.mig", "create function f(" + parameters + ") " + returns +
                            " language plpgsql as $$\nbegin\n  x := 1;\n  return\n next ;\nend "
                            "$$\n"}});
  };
  CHECK_FALSE(mig::has_errors(with("", "returns table (x int)").diagnostics));
  CHECK_FALSE(mig::has_errors(with("out x int", "returns setof int").diagnostics));
  CHECK_FALSE(mig::has_errors(with("inout x int", "returns setof int").diagnostics));
  // Without them, the row must be given.
  const auto bare = with("x int", "returns setof int");
  REQUIRE(mig::has_errors(bare.diagnostics));
  CHECK(bare.diagnostics.front().message == "PL/pgSQL: missing expression at or near \";\"");
}

TEST_CASE("a PL/pgSQL body is checked at the line of its error", "[operations][routines]") {
  auto c = mig::compile_sources(
      {{"0001_users.mig", kUsers},
       {"0002_f.mig",
        "create function f() returns trigger language plpgsql as $$\nbegin\n  retrun new;\nend "
        "$$\n"}});
  REQUIRE(mig::has_errors(c.diagnostics));
  const auto& d = c.diagnostics.front();
  CHECK(d.message == "PL/pgSQL: syntax error at or near \"retrun\"");
  CHECK(c.diagnostics.front().file->slice(d.span) == "r");
}
