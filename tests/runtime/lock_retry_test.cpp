#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

// A long transaction in another session holding ACCESS EXCLUSIVE on a table.
struct TableLockHolder {
  TableLockHolder(const std::string& url, const std::string& table) : connection(url) {
    {
      pqxx::nontransaction session{connection};
      session.exec("SET application_name = 'nightly-report'");
    }
    transaction = std::make_unique<pqxx::work>(connection);
    transaction->exec(fmt::format("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", table));
  }
  void release() { transaction->commit(); }
  pqxx::connection connection;
  std::unique_ptr<pqxx::work> transaction;
};

Plan accounts_plan() {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_accounts",
      {in_transaction(1, "create table accounts", "CREATE TABLE accounts (id bigint)")}, {}));
  plan.migrations.push_back(
      migration(2, "add_accounts_plan",
                {in_transaction(1, "create table plans", "CREATE TABLE plans (id bigint)"),
                 in_transaction(1, "add column accounts.plan_id",
                                "ALTER TABLE accounts ADD COLUMN plan_id bigint")},
                {}));
  return plan;
}

TEST_CASE("a step that times out on a lock is retried and succeeds once the lock is free") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  RunOptions options;
  options.lock_timeout = std::chrono::milliseconds(200);
  options.lock_retries = 10;
  options.retry_base_delay = std::chrono::milliseconds(100);
  std::ostringstream out;
  Runner runner(url, options, out);
  runner.up(plan, 1);

  TableLockHolder holder(url, "accounts");
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    holder.release();
  });
  runner.up(plan);
  releaser.join();

  CHECK_THAT(out.str(), Catch::Contains("no lock within lock_timeout (200 ms)"));
  CHECK_THAT(out.str(), Catch::Contains("retry 1 of 10"));
  CHECK_THAT(out.str(),
             Catch::Contains(fmt::format("blocked by pid {}", holder.connection.backendpid())));
  CHECK_THAT(out.str(), Catch::Contains("application `nightly-report`"));
  CHECK_THAT(out.str(), Catch::Contains("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"));
  CHECK(column_count(url, "accounts", "plan_id") == 1);
  CHECK(table_exists(url, "plans"));
  CHECK(query_value(url, "SELECT status FROM mig.history WHERE version = 2") == "done");
}

TEST_CASE("a step that never gets its lock fails after the retries and changes nothing") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  RunOptions options;
  options.lock_timeout = std::chrono::milliseconds(100);
  options.lock_retries = 2;
  options.retry_base_delay = std::chrono::milliseconds(50);
  std::ostringstream out;
  Runner runner(url, options, out);
  runner.up(plan, 1);

  TableLockHolder holder(url, "accounts");
  const auto error = error_of([&] { runner.up(plan); });
  const int holder_pid = holder.connection.backendpid();
  holder.release();

  CHECK_THAT(error, Catch::Contains("0002_add_accounts_plan: step 2 of 2 failed"));
  CHECK_THAT(error, Catch::Contains("ALTER TABLE accounts ADD COLUMN plan_id bigint"));
  CHECK_THAT(error, Catch::Contains("SQLSTATE 55P03"));
  CHECK_THAT(error,
             Catch::Contains(fmt::format("blocked by: pid {} (idle in transaction", holder_pid)));
  CHECK_THAT(error, Catch::Contains("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"));
  CHECK_THAT(error, Catch::Contains("gave up after 3 attempts"));
  CHECK_THAT(out.str(), Catch::Contains("retry 2 of 2"));
  CHECK(column_count(url, "accounts", "plan_id") == 0);
  CHECK_FALSE(table_exists(url, "plans"));
  CHECK(query_value(url, "SELECT status FROM mig.history WHERE version = 2") == "failed");
  CHECK(query_value(url, "SELECT steps_done FROM mig.history WHERE version = 2") == "0");
}

TEST_CASE("statement_timeout stops a step that runs too long, without retrying it") {
  const auto url = fresh_database();
  Plan plan;
  plan.migrations.push_back(
      migration(1, "slow", {in_transaction(1, "wait a long time", "SELECT pg_sleep(5)")}, {}));
  RunOptions options;
  options.statement_timeout = std::chrono::milliseconds(200);
  std::ostringstream out;
  Runner runner(url, options, out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("canceling statement due to statement timeout"));
  CHECK_THAT(error, Catch::Contains("SQLSTATE 57014"));
  CHECK(out.str().find("retry") == std::string::npos);
}

}  // namespace
}  // namespace mig::test
