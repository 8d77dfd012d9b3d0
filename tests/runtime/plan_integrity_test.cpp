// Reading a plan proves that the manifest the runtime runs and the scripts a reviewer
// reads agree, and a backfill's script shows the statement its batches run.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "plan/batch_statement.hpp"
#include "runtime/backfill_batch.hpp"
#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

// Each fragment ends in a comment: a statement that appends to a fragment on the same line
// would lose what it appends.
BackfillSpec flag_even_items() {
  return {"\"public\".\"items\"",
          {"\"id\""},
          "\"flag\" = 1 -- set the flag",
          "\"id\" % 2 = 0 -- even ids only",
          10};
}

Plan items_plan() {
  PlanStep backfill;
  backfill.description = "flag the even items";
  backfill.sql = "UPDATE \"public\".\"items\" SET \"flag\" = 1 WHERE \"id\" % 2 = 0";
  backfill.kind = StepKind::Backfill;
  backfill.lock.locks.push_back({"public", "items", LockMode::RowExclusive});
  backfill.backfill = flag_even_items();
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_items",
      {in_transaction(1, "create table items",
                      "CREATE TABLE items (id bigint PRIMARY KEY, flag int)"),
       in_transaction(1, "fill items", "INSERT INTO items (id) SELECT generate_series(1, 100)")},
      {in_transaction(1, "drop table items", "DROP TABLE items")}));
  plan.migrations.push_back(migration(2, "flag_items", {backfill}, {}));
  plan.migrations[1].reversibility = Reversibility::Lossy;
  plan.migrations[1].plan_checksum = compute_plan_checksum(plan.migrations[1]);
  return plan;
}

fs::path written_plan(const std::string& name, const Plan& plan) {
  const auto dir =
      fs::temp_directory_path() / ("mig-plan-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  write_plan(plan, dir);
  return dir;
}

void edit_manifest(const fs::path& dir, const std::function<void(nlohmann::json&)>& edit) {
  auto manifest = nlohmann::json::parse(read_text(dir / "manifest.json"));
  edit(manifest);
  write_text(dir / "manifest.json", manifest.dump(2));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST_CASE("a written plan reads back as it was") {
  const auto plan = items_plan();
  const auto dir = written_plan("unchanged", plan);
  CHECK(read_plan(dir) == plan);
  fs::remove_all(dir);
}

TEST_CASE("the plan checksum covers every field the runtime runs or relies on") {
  const auto original = items_plan().migrations[1];
  const std::vector<std::pair<std::string, std::function<void(PlanMigration&)>>> edits = {
      {"set clause", [](auto& m) { m.up[0].backfill->set_clause = "\"flag\" = 2"; }},
      {"where", [](auto& m) { m.up[0].backfill->where = "true"; }},
      {"table", [](auto& m) { m.up[0].backfill->table = "\"public\".\"other\""; }},
      {"key columns", [](auto& m) { m.up[0].backfill->key_columns = {"\"flag\""}; }},
      {"batch size", [](auto& m) { m.up[0].backfill->batch_size = 11; }},
      {"sql", [](auto& m) { m.up[0].sql = "SELECT 1"; }},
      {"transaction", [](auto& m) { m.up[0].transaction = 1; }},
      {"lock", [](auto& m) { m.up[0].lock.locks[0].mode = LockMode::Share; }},
      {"reversibility", [](auto& m) { m.reversibility = Reversibility::Reversible; }},
      {"source checksum", [](auto& m) { m.source_checksum = "other"; }},
      {"down steps", [](auto& m) { m.down.push_back(in_transaction(1, "d", "SELECT 1")); }},
  };
  for (const auto& [field, edit] : edits) {
    auto edited = original;
    edit(edited);
    INFO(field);
    CHECK(compute_plan_checksum(edited) != compute_plan_checksum(original));
  }
}

TEST_CASE("a manifest edited after compiling is refused, naming the migration") {
  const auto dir = written_plan("edited_manifest", items_plan());
  edit_manifest(dir, [](nlohmann::json& manifest) {
    manifest["migrations"][0]["up"][1]["sql"] = "INSERT INTO items (id) VALUES (1)";
  });
  const auto error = error_of([&] { read_plan(dir); });
  CHECK_THAT(error, Catch::StartsWith((dir / "manifest.json").string() +
                                      ": migration 0001_create_items does not match its plan "
                                      "checksum (recorded "));
  CHECK_THAT(error, Catch::EndsWith(
                        "recompile the plan with `mig compile` and review its .sql files again"));
  fs::remove_all(dir);
}

TEST_CASE("a manifest edited with its checksum recomputed still disagrees with its scripts") {
  auto plan = items_plan();
  const auto dir = written_plan("recomputed", plan);
  auto& edited = plan.migrations[1];
  edited.up[0].backfill->set_clause = "\"flag\" = 2";
  edited.plan_checksum = compute_plan_checksum(edited);
  write_text(dir / "manifest.json", to_json(plan).dump(2));
  const auto error = error_of([&] { read_plan(dir); });
  CHECK_THAT(error, Catch::StartsWith((dir / "0002_flag_items.up.sql").string() +
                                      ":8: differs from migration 0002_flag_items in "
                                      "manifest.json, which is what the runtime runs\n"
                                      "  expected: `  \"flag\" = 2`\n"
                                      "  found:    `  \"flag\" = 1 -- set the flag`\n"));
  fs::remove_all(dir);
}

TEST_CASE("a script that is missing, shortened or not in the manifest is refused") {
  const auto dir = written_plan("scripts", items_plan());
  const auto down = dir / "0001_create_items.down.sql";
  const auto text = read_text(down);

  fs::remove(down);
  CHECK(error_of([&] { read_plan(dir); }) ==
        down.string() +
            ": missing: a plan directory holds manifest.json and the .up.sql and .down.sql of "
            "every migration; recompile the plan with `mig compile` and review its .sql files "
            "again");

  write_text(down, text.substr(0, text.size() - 1));  // without its last newline
  CHECK_THAT(error_of([&] { read_plan(dir); }),
             Catch::Contains("  expected: ``\n  found:    (end of file)\n"));

  write_text(down, text);
  write_text(dir / "0003_later.up.sql", "DROP TABLE items;\n");
  CHECK_THAT(error_of([&] { read_plan(dir); }),
             Catch::StartsWith((dir / "0003_later.up.sql").string() +
                               ": manifest.json has no migration 0003_later"));
  fs::remove(dir / "0003_later.up.sql");
  CHECK(read_plan(dir) == items_plan());
  fs::remove_all(dir);
}

TEST_CASE("a backfill step the runtime would not run as batches is refused") {
  const auto dir = written_plan("kind", items_plan());
  edit_manifest(
      dir, [](nlohmann::json& manifest) { manifest["migrations"][1]["up"][0]["kind"] = "data"; });
  CHECK(error_of([&] { read_plan(dir); }) ==
        "manifest: step `flag the even items` is of kind data but has a backfill spec");
  edit_manifest(dir, [](nlohmann::json& manifest) {
    manifest["migrations"][1]["up"][0]["kind"] = "backfill";
    manifest["migrations"][1]["up"][0]["transaction"] = 1;
  });
  CHECK(error_of([&] { read_plan(dir); }) ==
        "manifest: backfill step `flag the even items` needs key columns, a batch size of 1 or "
        "more, and no transaction (each batch is its own)");
  fs::remove_all(dir);
}

TEST_CASE("a backfill's script shows the statement its batches run") {
  const auto spec = flag_even_items();
  const auto shown = batch_change_sql(spec, "$last", "$next");
  CHECK(shown ==
        "UPDATE \"public\".\"items\" SET\n  \"flag\" = 1 -- set the flag\n"
        "WHERE (\"id\") > ($last) AND (\"id\") <= ($next) AND (\n"
        "  \"id\" % 2 = 0 -- even ids only\n)");
  CHECK_THAT(render_script(items_plan().migrations[1], Direction::Up),
             Catch::Contains("-- runs in keyset batches of 10 rows on the primary key, one "
                             "transaction per batch; ROW EXCLUSIVE on public.items\n"
                             "-- each batch runs the statement below: $last is the key the batch "
                             "before ended at\n"
                             "-- (the first batch has no lower bound), $next the last of the 10 "
                             "keys after it\n" +
                             shown + ";\n"));
  const auto url = fresh_database();
  pqxx::connection connection{url};
  pqxx::nontransaction quoting{connection};
  CHECK(backfill_change_sql(spec, KeyPosition{"7"}, {"it's"}, quoting) ==
        replaced(replaced(shown, "$last", "'7'"), "$next", "'it''s'"));
}

TEST_CASE("a comment in a backfill's fragments cannot swallow the rest of its batch statement") {
  const auto url = fresh_database();
  std::ostringstream out;
  Runner(url, RunOptions{}, out).up(items_plan());
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE flag = 1") == 50);
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE flag = 1 AND id % 2 = 1") == 0);
}

}  // namespace
}  // namespace mig::test
