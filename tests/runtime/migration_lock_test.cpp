#include "runtime/migration_lock.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

Plan one_table_plan() {
  Plan plan;
  plan.migrations.push_back(
      migration(1, "create_things",
                {in_transaction(1, "create table things", "CREATE TABLE things (id int)")},
                {in_transaction(1, "drop table things", "DROP TABLE things")}));
  return plan;
}

// Another runner's session: holds the migration lock until told to let go.
struct LockHolder {
  explicit LockHolder(const std::string& url) : connection(url) {
    pqxx::nontransaction session{connection};
    session.exec("SET application_name = 'deploy-job-7'");
    session.exec_params("SELECT pg_try_advisory_lock($1)", kMigrationLockKey);
  }
  void release() {
    pqxx::nontransaction session{connection};
    session.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
  }
  pqxx::connection connection;
};

TEST_CASE("a runner that may not wait names the session holding the migration lock") {
  const auto url = fresh_database();
  LockHolder holder(url);
  RunOptions options;
  options.lock_wait = std::chrono::seconds(0);
  std::ostringstream out;
  Runner runner(url, options, out);

  const auto error = error_of([&] { runner.up(one_table_plan()); });
  CHECK_THAT(error, Catch::Contains("another migration runner holds the migration lock"));
  CHECK_THAT(error, Catch::Contains(fmt::format("pid {}", holder.connection.backendpid())));
  CHECK_THAT(error, Catch::Contains("application_name `deploy-job-7`"));
  CHECK_THAT(error, Catch::Contains("connected since"));
  CHECK_FALSE(table_exists(url, "mig.history"));
  CHECK_FALSE(table_exists(url, "things"));

  holder.release();
  runner.up(one_table_plan());
  CHECK(table_exists(url, "things"));
}

TEST_CASE("a runner polls for the migration lock until the holder lets go") {
  const auto url = fresh_database();
  LockHolder holder(url);
  RunOptions options;
  options.lock_wait = std::chrono::seconds(10);
  std::ostringstream out;
  Runner runner(url, options, out);
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    holder.release();
  });
  runner.up(one_table_plan());
  releaser.join();
  CHECK_THAT(out.str(), Catch::Contains("waiting up to 10 s for the migration lock held by pid"));
  CHECK(table_exists(url, "things"));
}

TEST_CASE("the migration lock is released when the runner is done") {
  const auto url = fresh_database();
  std::ostringstream out;
  Runner(url, RunOptions{}, out).up(one_table_plan());
  pqxx::connection other{url};
  pqxx::nontransaction session{other};
  CHECK(describe_migration_lock_holders(session).empty());
  CHECK(session.exec_params1("SELECT pg_try_advisory_lock($1)", kMigrationLockKey)[0].as<bool>());
}

}  // namespace
}  // namespace mig::test
