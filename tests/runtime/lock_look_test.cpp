// Before a step whose lock wait would block traffic, the runner waits outside the lock
// queue while another session holds a conflicting lock, naming it, and never sits in the
// queue (a waiting, ungranted lock in pg_locks) where the application's queries would
// queue behind it.

#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

using Clock = std::chrono::steady_clock;

// A report left open in another session after reading accounts: it holds ACCESS SHARE.
struct OpenReport {
  explicit OpenReport(const std::string& url) : connection(url) {
    {
      pqxx::nontransaction session{connection};
      session.exec("SET application_name = 'nightly-report'");
    }
    transaction = std::make_unique<pqxx::work>(connection);
    transaction->exec("SELECT count(*) FROM accounts");
  }
  void commit() { transaction->commit(); }
  pqxx::connection connection;
  std::unique_ptr<pqxx::work> transaction;
};

PlanStep add_note_column() {
  auto step =
      in_transaction(1, "add column accounts.note", "ALTER TABLE accounts ADD COLUMN note text");
  step.lock.locks.push_back(TableLock{"public", "accounts", LockMode::AccessExclusive});
  return step;
}

Plan accounts_plan() {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_accounts",
      {in_transaction(1, "create table accounts", "CREATE TABLE accounts (id bigint)")}, {}));
  plan.migrations.push_back(migration(2, "add_accounts_note", {add_note_column()}, {}));
  return plan;
}

TEST_CASE(
    "a step waits outside the lock queue for a conflicting lock and goes on once it is gone") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  std::ostringstream prepare_out;
  Runner(url, quick_options(), prepare_out).up(plan, 1);

  OpenReport report(url);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // older than lock_timeout
  const int report_pid = report.connection.backendpid();
  std::ostringstream out;
  auto options = quick_options();
  auto applying = std::async(std::launch::async, [&] { Runner(url, options, out).up(plan); });

  // For a second, the runner waits: nothing in the database waits for a lock meanwhile.
  pqxx::connection observer{url};
  int samples = 0;
  long long queued = 0;
  for (const auto until = Clock::now() + std::chrono::seconds(1); Clock::now() < until; ++samples) {
    pqxx::nontransaction session{observer};
    queued += session.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted")[0].as<long long>();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(samples > 20);
  CHECK(queued == 0);
  CHECK(applying.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  CHECK(column_count(url, "accounts", "note") == 0);

  report.commit();
  const auto released = Clock::now();
  REQUIRE(applying.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  applying.get();
  CHECK(Clock::now() - released < std::chrono::milliseconds(1000));
  CHECK(column_count(url, "accounts", "note") == 1);

  const auto said = out.str();
  CHECK_THAT(said,
             Catch::Contains(fmt::format("step 1: waiting, outside the lock queue, for pid {} "
                                         "(idle in transaction for",
                                         report_pid)));
  CHECK_THAT(said, Catch::Contains("application `nightly-report`): SELECT count(*) FROM accounts "
                                   "holds ACCESS SHARE on public.accounts"));
  CHECK_THAT(said, Catch::Contains("the conflicting locks are gone after"));
  CHECK_THAT(said, !Catch::Contains("lock_timeout"));
}

TEST_CASE("a step still blocked after conflict_wait asks for the lock under lock_timeout") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  std::ostringstream out;
  Runner(url, quick_options(), out).up(plan, 1);

  OpenReport report(url);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // older than lock_timeout
  auto options = quick_options();
  options.conflict_wait = std::chrono::milliseconds(300);
  options.lock_retries = 1;
  options.retry_base_delay = std::chrono::milliseconds(10);
  Runner runner(url, options, out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(out.str(), Catch::Contains("step 1: still blocked after 0 s by pid"));
  CHECK_THAT(out.str(), Catch::Contains("asking for the lock anyway"));
  CHECK_THAT(error, Catch::Contains("gave up after 2 attempts (no lock within lock_timeout"));
  CHECK_THAT(error,
             Catch::Contains(fmt::format("blocked by: pid {}", report.connection.backendpid())));
  CHECK(column_count(url, "accounts", "note") == 0);
}

TEST_CASE("a short transaction holding a conflicting lock is not waited for") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  std::ostringstream out;
  Runner(url, quick_options(), out).up(plan, 1);

  // Opened just now: younger than lock_timeout, it is expected to end within it.
  OpenReport report(url);
  auto options = quick_options();
  options.lock_timeout = std::chrono::milliseconds(5000);
  auto applying = std::async(std::launch::async, [&] { Runner(url, options, out).up(plan); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // The runner asked for the lock and queues behind the report.
  pqxx::connection observer{url};
  {
    pqxx::nontransaction session{observer};
    CHECK(session.exec1("SELECT count(*) FROM pg_locks WHERE NOT granted")[0].as<int>() == 1);
  }
  report.commit();
  REQUIRE(applying.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  applying.get();
  CHECK(column_count(url, "accounts", "note") == 1);
  CHECK_THAT(out.str(), !Catch::Contains("waiting, outside the lock queue"));
}

}  // namespace
}  // namespace mig::test
