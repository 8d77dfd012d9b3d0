// A migration whose steps are all one transaction commits once, together with its record in
// mig.history; a failure leaves nothing of it behind and is recorded as a failed attempt.

#include <catch2/catch.hpp>
#include <sstream>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

Plan one_transaction_plan(const std::string& second_step_sql) {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_users",
      {in_transaction(1, "create table users", "CREATE TABLE users (id bigint PRIMARY KEY)"),
       in_transaction(1, "second step", second_step_sql),
       in_transaction(1, "add column users.email", "ALTER TABLE users ADD COLUMN email text")},
      {in_transaction(1, "drop table users", "DROP TABLE users")}));
  return plan;
}

TEST_CASE("a one-transaction migration and its history record commit in the same transaction") {
  const auto url = fresh_database();
  const auto plan = one_transaction_plan("CREATE INDEX users_id_idx ON users (id) -- a comment");
  std::ostringstream out;
  Runner(url, quick_options(), out).up(plan);

  CHECK(column_count(url, "users", "email") == 1);
  CHECK(table_exists(url, "users_id_idx"));
  // The row of the history and the table are written by the same transaction.
  const auto table_xmin =
      query_value(url, "SELECT xmin::text FROM pg_class WHERE relname = 'users'");
  REQUIRE(table_xmin);
  CHECK(query_value(url, "SELECT xmin::text FROM mig.history WHERE version = 1") == table_xmin);
  CHECK(query_value(url, "SELECT xmin::text FROM pg_class WHERE relname = 'users_id_idx'") ==
        table_xmin);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 1);
  CHECK(query_number(url,
                     "SELECT count(*) FROM mig.history WHERE status = 'done' AND steps_done = 3 "
                     "AND steps_total = 3 AND finished_at >= started_at AND duration_ms >= 0 "
                     "AND applied_by LIKE 'postgres@%' AND checksum = "
                     "'source-checksum-of-create_users'") == 1);

  // Down is one transaction too, recorded the same way.
  Runner(url, quick_options(), out).down(plan, DownRange{std::nullopt, 0});
  CHECK_FALSE(table_exists(url, "users"));
  CHECK(query_value(url,
                    "SELECT status || ' ' || direction FROM mig.history ORDER BY id DESC "
                    "LIMIT 1") == "done down");
}

TEST_CASE("a failing step of a one-transaction migration leaves nothing and names the step") {
  const auto url = fresh_database();
  const auto plan = one_transaction_plan("ALTER TABLE missing_table ADD COLUMN x int");
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("0001_create_users: step 2 of 3 failed: second step"));
  CHECK_THAT(error, Catch::Contains("ALTER TABLE missing_table ADD COLUMN x int"));
  CHECK_THAT(error, Catch::Contains("relation \"missing_table\" does not exist"));
  CHECK_THAT(error, Catch::Contains("was rolled back"));
  CHECK_FALSE(table_exists(url, "users"));
  CHECK(query_value(url, "SELECT status || ' ' || steps_done FROM mig.history") == "failed 0");
  // The session is usable after the failure: its transaction was rolled back.
  CHECK(runner.status(plan).migrations.front().state == MigrationState::Failed);
}

TEST_CASE("a syntax error in a one-transaction migration runs none of its steps") {
  const auto url = fresh_database();
  // The server parses the whole round trip first; the steps before the bad one are then
  // run one by one to find it, inside the transaction that is rolled back.
  const auto plan = one_transaction_plan("CREATE TABLEX nonsense (id int)");
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("step 2 of 3 failed"));
  CHECK_THAT(error, Catch::Contains("syntax error"));
  CHECK_FALSE(table_exists(url, "users"));
  CHECK(query_value(url, "SELECT status FROM mig.history") == "failed");

  const auto fixed = one_transaction_plan("CREATE INDEX users_id_idx ON users (id)");
  Runner(url, quick_options(), out).up(fixed);
  CHECK(column_count(url, "users", "email") == 1);
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "done");
}

TEST_CASE("a migration of several transactions still records its progress unit by unit") {
  const auto url = fresh_database();
  Plan plan;
  plan.migrations.push_back(
      migration(1, "two_units",
                {in_transaction(1, "create table a", "CREATE TABLE a (id int)"),
                 in_transaction(2, "create table b", "CREATE TABLE b (id int)")},
                {}));
  std::ostringstream out;
  Runner(url, quick_options(), out).up(plan);
  const auto a_xmin = query_value(url, "SELECT xmin::text FROM pg_class WHERE relname = 'a'");
  const auto b_xmin = query_value(url, "SELECT xmin::text FROM pg_class WHERE relname = 'b'");
  CHECK(a_xmin != b_xmin);
  // The running row was inserted first, then updated by each unit and at the end.
  CHECK(query_value(url, "SELECT xmin::text FROM mig.history") != b_xmin);
  CHECK(query_value(url, "SELECT status || ' ' || steps_done FROM mig.history") == "done 2");
}

}  // namespace
}  // namespace mig::test
