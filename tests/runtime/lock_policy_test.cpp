#include "runtime/lock_policy.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

PlanStep locking(PlanStep step, std::vector<TableLock> locks) {
  step.lock.locks = std::move(locks);
  return step;
}

TEST_CASE("only waits for locks that conflict with no read or write escape the lock_timeout") {
  const auto step = [](std::vector<TableLock> locks) {
    return locking(in_transaction(1, "step", "SELECT 1"), std::move(locks));
  };
  const std::vector<PlanStep> steps = {
      step({{"public", "accounts", LockMode::ShareUpdateExclusive}}),  // 0: validate
      step({{"public", "accounts", LockMode::ShareUpdateExclusive},    // 1: validate fk
            {"public", "orgs", LockMode::RowShare}}),
      step({{"public", "accounts", LockMode::AccessExclusive}}),  // 2: alter table
      step({{"public", "accounts", LockMode::Share}}),            // 3: create index
      step({{"public", "accounts", LockMode::ShareRowExclusive},
            {"public", "orgs", LockMode::ShareRowExclusive}}),
      step({{"public", "accounts", LockMode::RowExclusive}}),  // 5: update
      step({}),                                                // 6: unknown
  };
  CHECK_FALSE(blocks_traffic_while_waiting(steps, 0, 1));
  CHECK_FALSE(blocks_traffic_while_waiting(steps, 0, 2));
  CHECK(blocks_traffic_while_waiting(steps, 1, 3));  // one strong step is enough
  CHECK(blocks_traffic_while_waiting(steps, 3, 4));
  CHECK(blocks_traffic_while_waiting(steps, 4, 5));
  CHECK(blocks_traffic_while_waiting(steps, 5, 6));
  CHECK(blocks_traffic_while_waiting(steps, 6, 7));
}

// A report holding a snapshot (REPEATABLE READ keeps it between statements) that ends after
// 1.5 s: a concurrent index build must wait for it before it can finish.
struct OpenSnapshot {
  explicit OpenSnapshot(const std::string& url) : connection(url) {
    transaction =
        std::make_unique<pqxx::transaction<pqxx::isolation_level::repeatable_read>>(connection);
    transaction->exec("SELECT count(*) FROM accounts");
    finisher = std::thread([this] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      transaction->commit();
    });
  }
  ~OpenSnapshot() { finisher.join(); }
  pqxx::connection connection;
  std::unique_ptr<pqxx::transaction<pqxx::isolation_level::repeatable_read>> transaction;
  std::thread finisher;
};

TEST_CASE("a concurrent index build waits out an old snapshot instead of timing out") {
  const auto url = fresh_database();
  execute(url,
          "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);"
          "INSERT INTO accounts SELECT g, 'user' || g FROM generate_series(1, 1000) AS g");
  auto build =
      outside_transaction("create index concurrently accounts_email_idx",
                          "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email)");
  RunOptions options;
  options.lock_timeout = std::chrono::milliseconds(100);
  options.lock_retries = 0;  // a timeout fails the migration
  std::ostringstream out;
  Plan plan;

  SECTION("its lock facts say the wait blocks no traffic: it waits") {
    plan.migrations.push_back(
        migration(1, "index_accounts_email",
                  {locking(build, {{"public", "accounts", LockMode::ShareUpdateExclusive}})}, {}));
    OpenSnapshot report(url);
    const auto started = std::chrono::steady_clock::now();
    Runner(url, options, out).up(plan);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(1000));
    CHECK_THAT(out.str(), Catch::Contains("waits for its lock as long as needed"));
    CHECK(query_value(url,
                      "SELECT indisvalid FROM pg_index "
                      "WHERE indexrelid = 'accounts_email_idx'::regclass") == "t");
  }
  SECTION("without lock facts the wait counts as blocking: it times out") {
    plan.migrations.push_back(migration(1, "index_accounts_email", {build}, {}));
    OpenSnapshot report(url);
    const auto error = error_of([&] { Runner(url, options, out).up(plan); });
    CHECK_THAT(error, Catch::Contains("SQLSTATE 55P03"));
  }
}

}  // namespace
}  // namespace mig::test
