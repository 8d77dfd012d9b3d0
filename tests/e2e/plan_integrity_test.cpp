// The plan that runs is the plan that was reviewed: a compiled plan directory whose
// manifest, scripts or backfill specs were edited after `mig compile`, or that lacks a
// script, is refused by the `mig` program before anything is applied.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;
using mig::test::read_text;
using mig::test::run_mig;
using mig::test::write_text;

namespace {

mig::ScratchServer& server() {
  static mig::ScratchServer s;
  return s;
}

// 100 users, then a backfill that marks the even ones active in batches of 10.
fs::path compiled_plan(const std::string& name) {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-integrity-{}-{}", name, getpid());
  fs::remove_all(dir);
  fs::create_directories(dir / "migrations");
  write_text(dir / "migrations" / "0001_create_users.mig",
             "create table users {\n  id bigint primary key\n  status text\n}\n"
             "sql {\n  insert into users (id) select generate_series(1, 100)\n} down {\n"
             "  delete from users\n}\n");
  write_text(dir / "migrations" / "0002_activate_users.mig",
             "backfill users set status = 'active' where id % 2 = 0 batch 10\n");
  const auto compiled = run_mig(
      fmt::format("compile '{}' -o '{}'", (dir / "migrations").string(), (dir / "plan").string()));
  INFO(compiled.output);
  REQUIRE(compiled.exit_code == 0);
  return dir / "plan";
}

void edit_manifest(const fs::path& plan, const std::function<void(nlohmann::json&)>& edit) {
  auto manifest = nlohmann::json::parse(read_text(plan / "manifest.json"));
  edit(manifest);
  write_text(plan / "manifest.json", manifest.dump(2) + "\n");
}

std::string value(const std::string& url, const std::string& query) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  const auto row = session.exec1(query);
  return row[0].is_null() ? "NULL" : row[0].as<std::string>();
}

// Refused by `mig up --plan`, and nothing of the plan reached the database.
void check_up_refused(const fs::path& plan, const std::string& database,
                      const std::string& expected_message) {
  const auto url = server().create_database(database);
  const auto up = run_mig(fmt::format("up --plan '{}' --db '{}'", plan.string(), url));
  INFO(up.output);
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.output, Catch::Contains(expected_message));
  CHECK_THAT(up.output, Catch::Contains("recompile the plan with `mig compile`"));
  CHECK(value(url, "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'mig')") == "0");
}

TEST_CASE("an unedited plan applies, and its script shows the statement each batch runs", "[e2e]") {
  const auto plan = compiled_plan("unedited");
  CHECK_THAT(read_text(plan / "0002_activate_users.up.sql"),
             Catch::Contains("UPDATE \"public\".\"users\" SET\n"
                             "  \"status\" = 'active'\n"
                             "WHERE (\"id\") > ($last) AND (\"id\") <= ($next) AND (\n"
                             "  id % 2 = 0\n"
                             ");\n"));
  const auto url = server().create_database("unedited");
  const auto verify = run_mig(fmt::format("verify --plan '{}' --db '{}'", plan.string(), url));
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
  const auto up = run_mig(fmt::format("up --plan '{}' --db '{}'", plan.string(), url));
  INFO(up.output);
  CHECK(up.exit_code == 0);
  CHECK(value(url, "SELECT count(*) FROM users WHERE status = 'active' AND id % 2 = 0") == "50");
  CHECK(value(url, "SELECT count(*) FROM users WHERE status IS NULL") == "50");
  fs::remove_all(plan.parent_path());
}

TEST_CASE("a plan whose manifest SQL was edited is refused by every runtime command", "[e2e]") {
  const auto plan = compiled_plan("manifest_sql");
  edit_manifest(plan, [](nlohmann::json& manifest) {
    manifest["migrations"][0]["up"][0]["sql"] = "CREATE TABLE \"public\".\"users\" (\"id\" bigint)";
  });
  const std::string message = "migration 0001_create_users does not match its plan checksum";
  check_up_refused(plan, "manifest_sql", message);
  const auto url = server().create_database("manifest_sql_others");
  for (const auto* command : {"verify", "status", "down --steps 1"}) {
    const auto refused =
        run_mig(fmt::format("{} --plan '{}' --db '{}'", command, plan.string(), url));
    INFO(command << ": " << refused.output);
    // `status` exits 1 for a database that needs attention; a status it cannot read is 2.
    CHECK(refused.exit_code == (std::string_view(command) == "status" ? 2 : 1));
    CHECK_THAT(refused.output, Catch::Contains(message));
  }
  fs::remove_all(plan.parent_path());
}

TEST_CASE("a plan whose .up.sql was edited is refused, naming the first differing line", "[e2e]") {
  const auto plan = compiled_plan("up_sql");
  const auto script = plan / "0002_activate_users.up.sql";
  auto text = read_text(script);
  const auto at = text.find("id % 2 = 0");
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "id % 3 = 0");
  write_text(script, text);
  check_up_refused(plan, "up_sql",
                   fmt::format("{}:11: differs from migration 0002_activate_users in "
                               "manifest.json, which is what the runtime runs\n"
                               "  expected: `  id % 2 = 0`\n"
                               "  found:    `  id % 3 = 0`",
                               script.string()));
  fs::remove_all(plan.parent_path());
}

TEST_CASE("a plan whose backfill spec was edited is refused", "[e2e]") {
  const auto plan = compiled_plan("backfill_spec");
  edit_manifest(plan, [](nlohmann::json& manifest) {
    manifest["migrations"][1]["up"][0]["backfill"]["set_clause"] = "\"status\" = 'banned'";
  });
  check_up_refused(plan, "backfill_spec",
                   "migration 0002_activate_users does not match its plan checksum");
  fs::remove_all(plan.parent_path());
}

TEST_CASE("a plan missing a .down.sql is refused", "[e2e]") {
  const auto plan = compiled_plan("missing_down");
  fs::remove(plan / "0001_create_users.down.sql");
  check_up_refused(plan, "missing_down",
                   fmt::format("{}: missing", (plan / "0001_create_users.down.sql").string()));
  fs::remove_all(plan.parent_path());
}

}  // namespace
