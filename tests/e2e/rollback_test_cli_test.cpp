// `mig test` against a real PostgreSQL: the repository's migrations pass; a downgrade that
// does not undo is reported with the migration and the object it left; a downgrade that
// fails only on tables with rows is found with --seed-sql, and only then.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path history(const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& files) {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-test-{}-{}", name, getpid());
  fs::remove_all(dir);
  for (const auto& [file, text] : files) mig::test::write_text(dir / file, text);
  return dir;
}

mig::test::ShellRun mig_test(const std::string& arguments) {
  return mig::test::run_shell(fs::temp_directory_path(),
                              fmt::format("{} test {}", MIG_BINARY, arguments));
}

json mig_test_json(const std::string& arguments, int expected_exit) {
  const auto run = mig_test(arguments + " --format json");
  INFO(run.out);
  REQUIRE(run.exit_code == expected_exit);
  return json::parse(run.out);
}

const json& migration(const json& report, int version) {
  for (const auto& m : report["migrations"])
    if (m["version"] == version) return m;
  FAIL("migration " << version << " is not in the report");
  throw;
}

}  // namespace

TEST_CASE("mig test passes the repository's migrations", "[e2e][test]") {
  const auto dir = fs::path(MIG_SOURCE_DIR) / "migrations";
  const auto report = mig_test_json(fmt::format("'{}'", dir.string()), 0);
  CHECK(report["version"] == 1);
  CHECK(report["passed"] == true);
  CHECK(report["untested"].empty());
  CHECK(report["seed"].is_null());
  const auto& migrations = report["migrations"];
  REQUIRE(migrations.size() == 13);
  CHECK(migrations[0]["name"] == "0001_create_users");
  for (const auto& m : migrations) {
    INFO(m.dump());
    CHECK(m["outcome"] == "passed");
    CHECK(m["after_down"].empty());
    CHECK(m["after_up_again"].empty());
    CHECK(m["error"].is_null());
  }
  CHECK(report["summary"]["passed"] == 13);

  {  // --from tests the migrations from that version on
    const auto from = mig_test_json(fmt::format("'{}' --from 12", dir.string()), 0);
    REQUIRE(from["migrations"].size() == 2);
    CHECK(from["migrations"][0]["name"] == "0012_backfill_users_email_normalized");
    CHECK(from["migrations"][1]["name"] == "0013_index_users_email_normalized");
  }
  {  // the text report says ok for each
    const auto run = mig_test(fmt::format("'{}'", dir.string()));
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("ok           0013_index_users_email_normalized\n") != std::string::npos);
    CHECK(run.out.find("13 passed, 0 differ, 0 failed, 0 irreversible, 0 not tested\n") !=
          std::string::npos);
  }
}

TEST_CASE("mig test names the migration and the object a downgrade does not undo", "[e2e][test]") {
  const auto dir = history(
      "no-undo", {{"0001_create_items.mig", "create table items {\n  id bigint primary key\n}\n"},
                  {"0002_comment_items.mig",
                   "sql {\n  comment on table items is 'what we sell'\n} down {\n  select 1;\n}\n"},
                  {"0003_add_items_name.mig", "alter table items add column name text\n"}});
  const auto report = mig_test_json(fmt::format("'{}'", dir.string()), 1);
  CHECK(report["passed"] == false);
  CHECK(migration(report, 1)["outcome"] == "passed");
  const auto& bad = migration(report, 2);
  CHECK(bad["name"] == "0002_comment_items");
  CHECK(bad["outcome"] == "differs");
  CHECK(bad["after_down"] == json::parse(R"([{"object": "table public.items",
      "expected": "table", "actual": "table comment 'what we sell'"}])"));
  CHECK(bad["after_up_again"].empty());
  CHECK(migration(report, 3)["outcome"] == "passed");  // the run goes on after a difference
  CHECK(report["summary"]["differs"] == 1);

  const auto text = mig_test(fmt::format("'{}'", dir.string()));
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("DIFFERS      0002_comment_items\n"
                      "  after down, against the schema before up:\n"
                      "    table public.items\n"
                      "      expected: table\n"
                      "      found:    table comment 'what we sell'\n") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("mig test reports a downgrade that leaves a table behind, and stops there",
          "[e2e][test]") {
  const auto dir =
      history("leftover",
              {{"0001_create_logs.mig",
                "sql {\n  create table logs (id bigint primary key)\n} down {\n  select 1;\n}\n"},
               {"0002_create_items.mig", "create table items {\n  id bigint primary key\n}\n"}});
  const auto report = mig_test_json(fmt::format("'{}'", dir.string()), 1);
  const auto& bad = migration(report, 1);
  CHECK(bad["outcome"] == "failed");
  CHECK(bad["failed_phase"] == "up again");
  CHECK(bad["error"].get<std::string>().find("\"logs\" already exists") != std::string::npos);
  CHECK(bad["after_down"] ==
        json::parse(R"json([{"object": "column public.logs.id", "expected": null,
                          "actual": "bigint not null"},
                        {"object": "constraint logs_pkey on public.logs", "expected": null,
                          "actual": "PRIMARY KEY (id)"},
                        {"object": "table public.logs", "expected": null, "actual": "table"}])json"));
  CHECK(report["untested"] == json::array({"0002_create_items"}));
  fs::remove_all(dir);
}

TEST_CASE("mig test finds a downgrade that fails on a table with rows only with --seed-sql",
          "[e2e][test]") {
  const auto dir = history(
      "seed", {{"0001_create_users.mig",
                "create table users {\n  id bigint primary key\n  nickname text not null\n}\n"},
               {"0002_drop_users_nickname.mig", "alter table users drop column nickname\n"}});
  const auto seed = fs::temp_directory_path() / fmt::format("mig-test-seed-{}.sql", getpid());
  mig::test::write_text(seed, "insert into users (id, nickname) values (1, 'ann'), (2, 'bo');\n");

  const auto empty = mig_test_json(fmt::format("'{}'", dir.string()), 0);
  CHECK(migration(empty, 2)["outcome"] == "passed");

  const auto seeded =
      mig_test_json(fmt::format("'{}' --seed-sql '{}'", dir.string(), seed.string()), 1);
  CHECK(seeded["seed"]["failed"] == false);
  CHECK(seeded["seed"]["note"] == fmt::format("{} ran after migration 1", seed.string()));
  CHECK(migration(seeded, 1)["outcome"] == "passed");
  const auto& failed = migration(seeded, 2);
  CHECK(failed["outcome"] == "failed");
  CHECK(failed["failed_phase"] == "down");
  const auto error = failed["error"].get<std::string>();
  CHECK(error.find("0002_drop_users_nickname") != std::string::npos);
  CHECK(error.find("nickname") != std::string::npos);

  {  // --seed-at 2 seeds after the last migration: nothing left to test with rows
    const auto late = mig_test_json(
        fmt::format("'{}' --seed-sql '{}' --seed-at 2", dir.string(), seed.string()), 1);
    // 0001 and 0002 pass, then the seed fails: 0002 dropped the column it fills.
    CHECK(late["seed"]["failed"] == true);
    CHECK(late["seed"]["note"].get<std::string>().find("column \"nickname\"") != std::string::npos);
  }
  {  // a version the plan does not have is refused
    const auto run =
        mig_test(fmt::format("'{}' --seed-sql '{}' --seed-at 7 2>&1", dir.string(), seed.string()));
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("--seed-at 7: the plan has no migration 7") != std::string::npos);
  }
  fs::remove_all(dir);
  fs::remove(seed);
}
