// Schemas, extensions, enum types and comments: their effect on the schema model, the
// transaction placement and lock facts of their steps, their downgrades and their errors.
// (The exact SQL is covered by the golden cases in tests/golden.)

#include <catch2/catch.hpp>

#include "compiler/plan/compiler.hpp"

namespace {

const char* kPeople =
    "create type mood as enum ('sad', 'ok')\n"
    "create table people {\n"
    "  id bigint primary key\n"
    "  mood mood not null default 'ok'\n"
    "}\n";

mig::Compilation compile_with(const std::string& change) {
  return mig::compile_sources({{"0001_people.mig", kPeople}, {"0002_change.mig", change}});
}

mig::Compilation compile(const std::string& change) {
  auto c = compile_with(change);
  std::string errors;
  for (const auto& d : c.diagnostics) errors += mig::render(d);
  INFO(errors);
  REQUIRE_FALSE(mig::has_errors(c.diagnostics));
  return c;
}

std::string errors(const std::string& change) {
  const auto c = compile_with(change);
  REQUIRE(mig::has_errors(c.diagnostics));
  std::string out;
  for (const auto& d : c.diagnostics) out += d.message + " | " + d.help + "\n";
  return out;
}

const mig::EnumType& mood(const mig::Compilation& c) {
  const auto* t = c.model.find_enum({"public", "mood"});
  REQUIRE(t);
  return *t;
}

mig::PlanMigration change(const mig::Compilation& c) { return c.plan().migrations.back(); }

}  // namespace

TEST_CASE("an enum type's values are kept in order as values are added and renamed",
          "[operations]") {
  const auto c = compile(
      "alter type mood add value 'happy'\n"
      "alter type mood add value 'meh' before 'ok'\n"
      "alter type mood add value 'fine' after 'sad'\n"
      "alter type mood rename value 'sad' to 'unhappy'\n");
  CHECK(mood(c).values == std::vector<std::string>{"unhappy", "fine", "meh", "ok", "happy"});
}

TEST_CASE("add value runs alone, so that the statements after it may use the value",
          "[operations]") {
  const auto m =
      change(compile("alter table people alter column mood drop default\n"
                     "alter type mood add value 'happy'\n"
                     "alter table people alter column mood set default 'happy'\n"));
  REQUIRE(m.up.size() == 3);
  CHECK(m.up[0].transaction == 1);
  CHECK_FALSE(m.up[1].transaction);
  CHECK(m.up[1].lock.locks.empty());
  CHECK(m.up[1].sql.find("ADD VALUE IF NOT EXISTS 'happy'") != std::string::npos);
  CHECK(m.up[2].transaction == 2);
}

TEST_CASE("the same holds for add value written in a sql block", "[operations]") {
  const auto m =
      change(compile("sql {\n"
                     "  alter type mood add value 'happy';\n"
                     "  update people set mood = 'happy' where id = 1;\n"
                     "} down {\n"
                     "  update people set mood = 'ok' where mood = 'happy';\n"
                     "}\n"));
  REQUIRE(m.up.size() == 2);
  CHECK_FALSE(m.up[0].transaction);
  CHECK(m.up[1].transaction == 1);
}

TEST_CASE("the downgrade of add value re-creates the type and rewrites its columns",
          "[operations]") {
  const auto c = compile("alter type mood add value 'happy'\n");
  const auto m = change(c);
  CHECK(m.reversibility == mig::Reversibility::Lossy);
  REQUIRE(m.reversibility_notes.size() == 1);
  CHECK(m.reversibility_notes[0].find("fails while a row holds 'happy'") != std::string::npos);
  CHECK(m.reversibility_notes[0].find("`public.people.mood`") != std::string::npos);
  std::vector<std::string> sql;
  for (const auto& s : m.down) sql.push_back(s.sql);
  CHECK(
      sql ==
      std::vector<std::string>{
          R"(ALTER TYPE "public"."mood" RENAME TO "mood__mig_old")",
          R"(CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok'))",
          R"(ALTER TABLE "public"."people" ALTER COLUMN "mood" DROP DEFAULT)",
          R"(ALTER TABLE "public"."people" ALTER COLUMN "mood" TYPE mood USING "mood"::text::mood)",
          R"(ALTER TABLE "public"."people" ALTER COLUMN "mood" SET DEFAULT 'ok')",
          R"(DROP TYPE "public"."mood__mig_old")"});
  // The rewrite is visible to the plan and to lint: ACCESS EXCLUSIVE, rewrites the table.
  const auto& rewrite = m.down[3].lock;
  REQUIRE(rewrite.locks.size() == 1);
  CHECK(rewrite.locks[0].table == "people");
  CHECK(rewrite.locks[0].mode == mig::LockMode::AccessExclusive);
  CHECK(rewrite.rewrites_table);
  for (const auto& s : m.down) CHECK(s.transaction == 1);
}

TEST_CASE("add value to a type no column uses is reversible", "[operations]") {
  const auto m =
      change(compile("create type colour as enum ('red')\n"
                     "alter type colour add value 'blue'\n"));
  CHECK(m.reversibility == mig::Reversibility::Reversible);
}

TEST_CASE("drop type is refused while a column uses it, naming the column", "[operations]") {
  const auto e = errors("drop type mood\n");
  CHECK(e.find("type `public.mood` is used by column `public.people.mood`") != std::string::npos);
}

TEST_CASE("drop type re-creates the values as they were on the way down", "[operations]") {
  const auto c = compile(
      "alter table people drop column mood\n"
      "alter type mood add value 'happy'\n"
      "drop type mood\n");
  CHECK_FALSE(c.model.find_enum({"public", "mood"}));
  const auto m = change(c);
  // Reverse order: the type is re-created first, with the value added before the drop.
  CHECK(m.down.front().sql == R"(CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok', 'happy'))");
}

TEST_CASE("columns may use enum types of the model; unknown ones get a suggestion",
          "[operations]") {
  compile("alter table people add column moods mood[]\n");
  const auto e = errors("alter table people add column feeling moood\n");
  CHECK(e.find("type `moood` does not exist | did you mean `public.mood`?") != std::string::npos);
}

TEST_CASE("schemas: created, dropped only when empty", "[operations]") {
  const auto c = compile("create schema app\ncreate type app.mood as enum ('x')\n");
  CHECK(c.model.schemas().contains("app"));
  const auto e = errors(
      "create schema app\n"
      "create table app.t { id bigint }\n"
      "create extension pgcrypto schema app\n"
      "drop schema app\n");
  CHECK(e.find("schema `app` is not empty: it holds table `app.t`, extension `pgcrypto`") !=
        std::string::npos);
}

TEST_CASE("comments are kept by the model and restored on the way down", "[operations]") {
  const auto c = compile(
      "comment on table people is 'everyone'\n"
      "comment on column people.mood is 'today'\n"
      "comment on column people.mood is 'right now'\n");
  const auto* people = c.model.find_table({"public", "people"});
  REQUIRE(people);
  CHECK(people->comment == "everyone");
  CHECK(people->find_column("mood")->comment == "right now");
  const auto m = change(c);
  REQUIRE(m.down.size() == 3);
  CHECK(m.down[0].sql == R"(COMMENT ON COLUMN "public"."people"."mood" IS 'today')");
  CHECK(m.down[1].sql == R"(COMMENT ON COLUMN "public"."people"."mood" IS NULL)");
  CHECK(m.down[2].sql == R"(COMMENT ON TABLE "public"."people" IS NULL)");
  REQUIRE(m.up[0].lock.locks.size() == 1);
  CHECK(m.up[0].lock.locks[0].mode == mig::LockMode::ShareUpdateExclusive);
}

TEST_CASE("drop table re-creates its comments on the way down", "[operations]") {
  const auto m =
      change(compile("comment on column people.mood is 'today'\n"
                     "drop table people\n"));
  bool restored = false;
  for (const auto& s : m.down)
    restored |= s.sql == R"(COMMENT ON COLUMN "public"."people"."mood" IS 'today')";
  CHECK(restored);
}

TEST_CASE("rename value is refused where the model spells the old value", "[operations]") {
  const auto e = errors(
      "create index people_ok_idx on people (id) where mood = 'ok'\n"
      "alter type mood rename value 'ok' to 'fine'\n");
  CHECK(e.find("'ok' is written in the default of `public.people.mood`, index `people_ok_idx`") !=
        std::string::npos);
  compile("alter type mood rename value 'sad' to 'unhappy'\n");
}
