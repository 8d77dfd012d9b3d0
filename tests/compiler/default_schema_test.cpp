// A plan's default schema moved into a tenant's schema: names qualified with it move,
// everything that only looks like one stays.

#include "plan/default_schema.hpp"

#include <catch2/catch.hpp>

#include "compiler/plan/compiler.hpp"

namespace mig {
namespace {

TEST_CASE("requalify moves qualified names and nothing else", "[plan][default_schema]") {
  const auto moved = [](std::string_view sql) { return requalify(sql, "public", "acme"); };
  CHECK(moved(R"(ALTER TABLE "public"."users" ADD COLUMN "n" int)") ==
        R"(ALTER TABLE "acme"."users" ADD COLUMN "n" int)");
  CHECK(moved(R"(CREATE INDEX "i" ON "public" . "users" ("public"))") ==
        R"(CREATE INDEX "i" ON "acme" . "users" ("public"))");
  CHECK(moved(R"(SELECT '"public".x', E'\'"public".y', $$ "public".z $$, $f$"public".w$f$)") ==
        R"(SELECT '"public".x', E'\'"public".y', $$ "public".z $$, $f$"public".w$f$)");
  CHECK(moved("SELECT 1 -- \"public\".x\n, \"public\".f($1) /* \"public\".y /* nested */ */") ==
        "SELECT 1 -- \"public\".x\n, \"acme\".f($1) /* \"public\".y /* nested */ */");
  CHECK(moved(R"(SELECT "public"."t"."public", "x""public".y)") ==
        R"(SELECT "acme"."t"."public", "x""public".y)");
  CHECK(requalify(R"("public"."t")", "public", "a\"b") == R"("a""b"."t")");
}

TEST_CASE("redisplay moves names qualified with the schema in text for people",
          "[plan][default_schema]") {
  CHECK(redisplay("create index public.i on public.users (public)", "public", "acme") ==
        "create index acme.i on acme.users (public)");
  CHECK(redisplay("republic.x, public_x.y, public", "public", "acme") ==
        "republic.x, public_x.y, public");
  CHECK(redisplay("create table public.users", "public", "Initech Ltd") ==
        "create table Initech Ltd.users");
}

TEST_CASE("a compiled plan placed in a tenant schema keeps nothing in public",
          "[plan][default_schema]") {
  const auto compilation = compile_sources(
      {{"0001_create_users.mig",
        "create table users {\n  id bigint primary key\n  n int not null\n}\n"},
       {"0002_users_n_idx.mig", "create index concurrently users_n_idx on users (n)\n"},
       {"0003_bump.mig", "backfill users set n = n + 1 batch 10\n"}});
  REQUIRE_FALSE(has_errors(compilation.diagnostics));
  const auto plan = place_default_schema(compilation.plan(), "tenant one");
  CHECK(plan.default_schema == "tenant one");
  for (const auto& migration : plan.migrations) {
    for (const auto* steps : {&migration.up, &migration.down}) {
      for (const auto& step : *steps) {
        INFO(step.sql);
        CHECK(step.sql.find("\"public\"") == std::string::npos);
        CHECK(step.description.find("public.") == std::string::npos);
        for (const auto& lock : step.lock.locks) CHECK(lock.schema == "tenant one");
        if (step.backfill) CHECK(step.backfill->table == R"("tenant one"."users")");
      }
    }
  }
  CHECK(plan.migrations[1].up[0].sql.find(R"(ON "tenant one"."users")") != std::string::npos);
  CHECK(plan.migrations[0].up[0].description == "create table tenant one.users");
}

}  // namespace
}  // namespace mig
