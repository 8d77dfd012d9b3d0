#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

// Migration 2 commits a table and builds an index, then its last transaction fails: it
// stops part way, and neither `up` nor `down` can move it.
Plan half_applied_plan() {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_users", {in_transaction(1, "create table users", "CREATE TABLE users (id int)")},
      {in_transaction(1, "drop table users", "DROP TABLE users")}));
  plan.migrations.push_back(migration(
      2, "things",
      {in_transaction(1, "create table things", "CREATE TABLE things (id int)"),
       outside_transaction("create index things_id_idx",
                           "CREATE INDEX CONCURRENTLY \"things_id_idx\" ON \"public\".\"things\" "
                           "(id)"),
       in_transaction(2, "fill things", "INSERT INTO things SELECT 1 / 0")},
      {outside_transaction("drop index things_id_idx",
                           "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"things_id_idx\""),
       in_transaction(1, "drop table things", "DROP TABLE things")}));
  return plan;
}

std::string latest_of(const std::string& url, int version, const std::string& column) {
  return query_value(url, fmt::format("SELECT {} FROM mig.history WHERE version = {} "
                                      "ORDER BY id DESC LIMIT 1",
                                      column, version))
      .value_or("NULL");
}

MigrationState state_of(const std::string& url, const Plan& plan, int index) {
  std::ostringstream ignored;
  return Runner(url, quick_options(), ignored).status(plan).migrations[index].state;
}

TEST_CASE("resolve records a migration repaired by hand as applied, once the catalog agrees") {
  const auto url = fresh_database();
  const auto plan = half_applied_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  CHECK_THAT(error_of([&] { runner.up(plan); }), Catch::Contains("division by zero"));
  REQUIRE(state_of(url, plan, 1) == MigrationState::PartiallyApplied);
  CHECK_THAT(error_of([&] {
               runner.down(plan, DownRange{std::nullopt, 0});
             }),
             Catch::Contains("mig resolve 2 --applied"));

  execute(url, "DROP INDEX things_id_idx");
  CHECK_THAT(error_of([&] { runner.resolve(plan, 2, Resolution::Applied); }),
             Catch::Contains("index things_id_idx (step 2) does not exist"));
  CHECK(state_of(url, plan, 1) == MigrationState::PartiallyApplied);

  execute(url, "CREATE INDEX things_id_idx ON things (id); INSERT INTO things VALUES (1)");
  runner.resolve(plan, 2, Resolution::Applied);
  CHECK_THAT(out.str(), Catch::Contains("recorded 0002_things as applied; on your word for steps "
                                        "1, 3, which the catalog cannot confirm"));
  CHECK(state_of(url, plan, 1) == MigrationState::Applied);
  CHECK(latest_of(url, 2, "direction || ' ' || status") == "up done");
  CHECK_THAT(latest_of(url, 2, "note"), Catch::Contains("recorded as applied by mig resolve"));

  runner.down(plan, DownRange{std::nullopt, 1});
  CHECK_FALSE(table_exists(url, "things"));
  CHECK_THAT(error_of([&] { runner.resolve(plan, 2, Resolution::Applied); }),
             Catch::Contains("0002_things is pending; only a migration that stopped part way"));
}

TEST_CASE("resolve records a migration undone by hand as rolled back, then up applies it") {
  const auto url = fresh_database();
  const auto plan = half_applied_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  error_of([&] { runner.up(plan); });
  CHECK_THAT(error_of([&] { runner.resolve(plan, 2, Resolution::RolledBack); }),
             Catch::Contains("index public.things_id_idx (step 2) exists"));

  execute(url, "DROP TABLE things");
  runner.resolve(plan, 2, Resolution::RolledBack);
  CHECK(state_of(url, plan, 1) == MigrationState::Pending);
  CHECK(latest_of(url, 2, "direction || ' ' || status") == "down done");
  CHECK_THAT(error_of([&] { runner.resolve(plan, 7, Resolution::Applied); }),
             Catch::Contains("no migration with version 7"));
}

TEST_CASE("status says whether a pipeline may go on, as an exit code and in JSON") {
  const auto url = fresh_database();
  const auto plan = half_applied_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  CHECK(readiness(runner.status(plan)) == Readiness::Pending);
  runner.up(plan, 1);
  CHECK(readiness(runner.status(plan)) == Readiness::Pending);
  error_of([&] { runner.up(plan); });
  CHECK(readiness(runner.status(plan)) == Readiness::NeedsAttention);
  execute(url, "INSERT INTO things VALUES (1)");
  runner.resolve(plan, 2, Resolution::Applied);

  std::ostringstream json_out;
  Runner reader(url, quick_options(), json_out);
  CHECK(readiness(reader.status(plan, ReportFormat::Json)) == Readiness::AtHead);
  const auto report = nlohmann::json::parse(json_out.str());
  CHECK(report.at("readiness") == "at head");
  CHECK(report.at("database_version") == 2);
  CHECK(report.at("migrations").at(1).at("state") == "applied");
  CHECK(report.at("migrations").at(1).at("latest_attempt").at("direction") == "up");

  // A history table from before `step_started` and `note` reads the same until `up` adds them.
  execute(url, "ALTER TABLE mig.history DROP COLUMN step_started, DROP COLUMN note");
  std::ostringstream old_table_out;
  CHECK(readiness(Runner(url, quick_options(), old_table_out).status(plan)) == Readiness::AtHead);

  auto changed = plan;
  changed.migrations[0].source_checksum = "edited";
  std::ostringstream text_out;
  CHECK(readiness(Runner(url, quick_options(), text_out).status(changed)) ==
        Readiness::NeedsAttention);
  CHECK_THAT(text_out.str(), Catch::Contains("error: 0001_create_users was changed"));

  std::ostringstream history_out;
  Runner(url, quick_options(), history_out).history(ReportFormat::Json);
  const auto history = nlohmann::json::parse(history_out.str());
  REQUIRE(history.size() == 3);
  CHECK(history.at(1).at("status") == "failed");
  CHECK(history.at(1).at("steps_done") == 2);
  CHECK(history.at(2).at("status") == "done");
  CHECK(history.at(2).at("note").is_null());  // the column is gone
}

}  // namespace
}  // namespace mig::test
