#include <catch2/catch.hpp>
#include <sstream>

#include "runtime/backfill_batch.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

// 10 000 rows whose `counter` every batch bumps by one; a row updated twice would show 2.
// Updating the row whose id is in `fail_at` divides by zero, which interrupts the backfill.
Plan counter_plan() {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_items",
      {in_transaction(1, "create table items",
                      "CREATE TABLE items (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0)"),
       in_transaction(1, "fill items", "INSERT INTO items (id) SELECT generate_series(1, 10000)"),
       in_transaction(1, "create table fail_at", "CREATE TABLE fail_at (id bigint)")},
      {}));
  plan.migrations.push_back(
      migration(2, "bump_counters",
                {backfill_step({"\"public\".\"items\"",
                                {"\"id\""},
                                "\"counter\" = \"counter\" + 1 + 0 * (1 / (\"id\" - "
                                "coalesce((SELECT id FROM fail_at), -1)))",
                                "",
                                1000})},
                {}));
  return plan;
}

TEST_CASE("a backfill updates every row exactly once in keyset batches") {
  const auto url = fresh_database();
  std::ostringstream out;
  Runner runner(url, RunOptions{}, out);
  runner.up(counter_plan());

  CHECK(query_number(url, "SELECT count(*) FROM items WHERE counter = 1") == 10000);
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE counter <> 1") == 0);
  CHECK_THAT(out.str(), Catch::Contains("backfill done: 10000 rows"));
  CHECK(query_value(url, "SELECT status FROM mig.history WHERE version = 2") == "done");
  CHECK_FALSE(query_value(url, "SELECT backfill_position FROM mig.history WHERE version = 2"));
}

TEST_CASE("an interrupted backfill resumes after its last committed batch") {
  const auto url = fresh_database();
  const auto plan = counter_plan();
  std::ostringstream out;
  Runner runner(url, RunOptions{}, out);
  runner.up(plan, 1);
  execute(url, "INSERT INTO fail_at VALUES (5500)");

  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("0002_bump_counters: step 1 of 1 failed"));
  CHECK_THAT(error, Catch::Contains("division by zero"));
  CHECK_THAT(error, Catch::Contains("5000 rows in earlier batches are done"));
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE counter = 1") == 5000);
  CHECK(query_number(url, "SELECT max(id) FROM items WHERE counter = 1") == 5000);
  CHECK(query_value(url, "SELECT backfill_position FROM mig.history WHERE version = 2") ==
        "[\"5000\"]");
  std::ostringstream status_out;
  CHECK(Runner(url, RunOptions{}, status_out).status(plan).migrations[1].state ==
        MigrationState::PartiallyApplied);

  execute(url, "DELETE FROM fail_at");
  std::ostringstream resumed;
  Runner(url, RunOptions{}, resumed).up(plan);
  CHECK_THAT(resumed.str(), Catch::Contains("resuming after key (5000)"));
  CHECK_THAT(resumed.str(), Catch::Contains("backfill done: 5000 rows"));
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE counter = 1") == 10000);
  CHECK(query_number(url, "SELECT count(*) FROM items WHERE counter <> 1") == 0);
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "done");
}

TEST_CASE("a backfill without a set clause deletes in batches over a composite key") {
  const auto url = fresh_database();
  execute(url,
          "CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b)); "
          "INSERT INTO pairs SELECT g / 10, 'k' || (g % 10) FROM generate_series(0, 2499) g");
  Plan plan;
  plan.migrations.push_back(
      migration(1, "prune_pairs",
                {backfill_step(
                    {"\"public\".\"pairs\"", {"\"a\"", "\"b\""}, "", "\"b\" IN ('k1', 'k3')", 70})},
                {}));
  std::ostringstream out;
  Runner(url, RunOptions{}, out).up(plan);
  CHECK(query_number(url, "SELECT count(*) FROM pairs") == 2000);
  CHECK(query_number(url, "SELECT count(*) FROM pairs WHERE b IN ('k1', 'k3')") == 0);
  CHECK_THAT(out.str(), Catch::Contains("backfill done: 500 rows"));
}

TEST_CASE("a backfill's progress knows the table's estimate and the keys a resumed run has done") {
  const auto url = fresh_database();
  execute(url,
          "CREATE TABLE pairs (a int, b text, PRIMARY KEY (a, b)); "
          "INSERT INTO pairs SELECT g / 10, 'k' || (g % 10) FROM generate_series(0, 2499) g");
  const BackfillSpec spec{"\"public\".\"pairs\"", {"\"a\"", "\"b\""}, "", "", 100};
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  session.exec("ANALYZE pairs");
  CHECK(session.exec(backfill_estimate_sql(spec, session))[0][0].as<long long>() == 2500);
  // Keys (0, k0) .. (12, k3): 124 of them; the planner's estimate is near.
  const auto through = planned_rows(
      session.exec1(backfill_keys_through_sql(spec, {"12", "k3"}, session))[0].as<std::string>());
  CHECK(through >= 100);
  CHECK(through <= 150);
  CHECK_THROWS_AS(planned_rows("[{}]"), RuntimeError);
}

TEST_CASE("a backfill batch orders and resumes by key, never by offset") {
  const BackfillSpec spec{"\"public\".\"t\"", {"\"a\"", "\"b\""}, "\"x\" = 1", "\"x\" IS NULL", 50};
  const auto url = fresh_database();
  pqxx::connection connection{url};
  pqxx::nontransaction quoting{connection};
  const auto last = backfill_last_key_sql(spec, KeyPosition{"7", "it's"}, quoting);
  CHECK_THAT(last, Catch::Contains("(\"a\", \"b\") > ('7', 'it''s')"));
  CHECK_THAT(last, Catch::Contains("ORDER BY \"a\", \"b\" LIMIT 50"));
  CHECK(last.find("IS NULL") == std::string::npos);  // the range walks the key alone
  CHECK(last.find("OFFSET") == std::string::npos);
  const auto change = backfill_change_sql(spec, KeyPosition{"7", "it's"}, {"9", "z"}, quoting);
  CHECK(change ==
        "UPDATE \"public\".\"t\" SET\n  \"x\" = 1\nWHERE (\"a\", \"b\") > ('7', 'it''s') AND "
        "(\"a\", \"b\") <= ('9', 'z') AND (\n  \"x\" IS NULL\n)");
  CHECK(backfill_change_sql(spec, std::nullopt, {"9", "z"}, quoting).find(" > ") ==
        std::string::npos);
  CHECK(decode_position(encode_position({"7", "it's"})) == KeyPosition{"7", "it's"});
}

}  // namespace
}  // namespace mig::test
