// A backfill held within a replica lag bound, against a real streaming standby of the
// test's own primary (pg_basebackup -R). The standby's replay is paused, so every batch adds
// to its lag: the runner must stop once the lag passes the bound, and go on when the standby
// replays again.

#include "runtime/replica_lag.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "runtime/scratch_server.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

using namespace std::chrono_literals;

constexpr long long kRows = 20000;
constexpr long long kBatch = 500;

// One primary with one standby for the whole file; each test case has its own database.
struct Replicated {
  ScratchServer primary;
  std::string standby = primary.start_standby("standby1");
};

Replicated& replicated() {
  static Replicated servers;
  return servers;
}

std::string lag_bytes_sql() {
  return "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint, -1) "
         "FROM pg_stat_replication";
}

void wait_until_caught_up(const std::string& url) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (query_number(url, lag_bytes_sql()) != 0) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(50ms);
  }
}

// `rows` rows of about 100 bytes, every one of which the backfill changes once.
Plan items_plan(long long rows = kRows) {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_items",
      {in_transaction(1, "create table items",
                      "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, "
                      "pad text NOT NULL DEFAULT repeat('x', 100)) "
                      // Autovacuum's WAL would count as lag the runner did not make.
                      "WITH (autovacuum_enabled = off)"),
       in_transaction(1, "fill items",
                      fmt::format("INSERT INTO items (id) SELECT generate_series(1, {})", rows))},
      {}));
  plan.migrations.push_back(migration(
      2, "bump_items",
      {backfill_step({"\"public\".\"items\"", {"\"id\""}, "\"n\" = \"n\" + 1", "", kBatch})}, {}));
  return plan;
}

long long rows_changed(const std::string& url) {
  return query_number(url, "SELECT count(*) FROM items WHERE n = 1");
}

// `mig up` of the plan on a thread, with a byte bound of 1 MB, while the standby's replay is
// paused. Replay resumes and the thread ends also when a check fails.
struct PausedStandbyRun {
  PausedStandbyRun(const std::string& url, const Plan& plan, std::string standby_url)
      : standby(std::move(standby_url)) {
    options.replica_lag.bytes = 1024 * 1024;
    runner = std::thread([this, url, &plan] {
      try {
        Runner(url, options, out).up(plan);
      } catch (const std::exception& e) {
        failure = e.what();
      }
    });
  }
  ~PausedStandbyRun() { finish(); }
  void finish() {
    execute(standby, "SELECT pg_wal_replay_resume()");
    if (runner.joinable()) runner.join();
  }

  std::string standby;
  RunOptions options = quick_options();
  std::ostringstream out;
  std::string failure;
  std::thread runner;
};

TEST_CASE("a backfill waits while a standby lags more than the byte bound") {
  auto& servers = replicated();
  const auto url = servers.primary.create_database("lag_bytes");
  const auto plan = items_plan();
  std::ostringstream setup;
  Runner(url, quick_options(), setup).up(plan, 1);
  wait_until_caught_up(url);
  execute(servers.standby, "SELECT pg_wal_replay_pause()");
  const auto start_lsn = *query_value(url, "SELECT pg_current_wal_lsn()");

  PausedStandbyRun run(url, plan, servers.standby);

  // Once the lag is over the bound, no batch commits however long the runner is left.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (query_number(url, lag_bytes_sql()) <= run.options.replica_lag.bytes) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(20ms);
  }
  std::this_thread::sleep_for(300ms);  // the batch under way when the bound was passed
  const auto held_at = rows_changed(url);
  const auto lag = query_number(url, lag_bytes_sql());
  std::this_thread::sleep_for(1500ms);
  CHECK(rows_changed(url) == held_at);
  CHECK(held_at > 0);
  CHECK(held_at < kRows);
  // Before its last batch the lag was within the bound: it passed it by one batch, give or
  // take the WAL of the server's own work (checkpoints, hint bits) and batches of unequal size.
  const auto batches = held_at / kBatch;
  REQUIRE(batches > 1);
  const auto wal = query_number(
      url, fmt::format("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{}')::bigint", start_lsn));
  const auto batch_wal = wal / batches;
  INFO("lag " << lag << " bytes after " << batches << " batches of about " << batch_wal
              << " bytes of WAL each");
  CHECK(lag > run.options.replica_lag.bytes);
  CHECK(lag <= run.options.replica_lag.bytes + 2 * batch_wal);

  run.finish();
  INFO(run.out.str());
  CHECK(run.failure.empty());
  CHECK_THAT(run.out.str(), Catch::Contains("paused: replica lag ") &&
                                Catch::Contains(" > 1024 kB on standby1") &&
                                Catch::Contains("resumed after "));
  CHECK(rows_changed(url) == kRows);
  CHECK(query_value(url, "SELECT status FROM mig.history WHERE version = 2") == "done");
}

TEST_CASE("a backfill waits while a standby's replay_lag is over the time bound") {
  auto& servers = replicated();
  const auto url = servers.primary.create_database("lag_time");
  const auto plan = items_plan(5000);
  std::ostringstream setup;
  Runner(url, quick_options(), setup).up(plan, 1);
  wait_until_caught_up(url);
  // The standby applies each commit a second after it was made: its replay_lag goes past
  // the bound once it has replayed one.
  execute(servers.standby, "ALTER SYSTEM SET recovery_min_apply_delay = '1s'");
  execute(servers.standby, "SELECT pg_reload_conf()");
  struct NoDelay {
    std::string standby;
    ~NoDelay() {
      execute(standby, "ALTER SYSTEM RESET recovery_min_apply_delay");
      execute(standby, "SELECT pg_reload_conf()");
    }
  } no_delay{servers.standby};

  auto options = quick_options();
  options.replica_lag.time = 300ms;
  options.batch_pause = 150ms;  // 10 batches take 1.5 s: the lag shows before the last
  std::ostringstream out;
  Runner(url, options, out).up(plan);
  INFO(out.str());
  CHECK_THAT(out.str(), Catch::Matches("[^]*paused: replica lag [0-9]+ ms > 300 ms on "
                                       "standby1\n  resumed after [1-9][^]*"));
  CHECK(rows_changed(url) == 5000);
}

TEST_CASE("a concurrent index build waits to start until a lagging standby is within the bound") {
  auto& servers = replicated();
  const auto url = servers.primary.create_database("lag_index");
  auto plan = items_plan();
  plan.migrations.back() = migration(
      2, "index_items",
      {outside_transaction("create index items_n_idx",
                           "CREATE INDEX CONCURRENTLY \"items_n_idx\" ON \"public\".\"items\" "
                           "(\"n\")")},
      {});
  std::ostringstream setup;
  Runner(url, quick_options(), setup).up(plan, 1);
  wait_until_caught_up(url);
  // The standby stops replaying and the primary writes past the bound: the build must wait.
  execute(servers.standby, "SELECT pg_wal_replay_pause()");
  execute(url, "UPDATE items SET pad = repeat('y', 100)");
  REQUIRE(query_number(url, lag_bytes_sql()) > 1024 * 1024);

  PausedStandbyRun run(url, plan, servers.standby);

  std::this_thread::sleep_for(1500ms);
  CHECK(query_number(url, "SELECT count(*) FROM pg_class WHERE relname = 'items_n_idx'") == 0);
  run.finish();
  INFO(run.out.str());
  CHECK(run.failure.empty());
  CHECK_THAT(run.out.str(), Catch::Contains("> 1024 kB on standby1; waiting before the build") &&
                                Catch::Contains("replicas within the bound after "));
  CHECK(query_number(url,
                     "SELECT count(*) FROM pg_index WHERE indexrelid = "
                     "'items_n_idx'::regclass AND indisvalid") == 1);
}

TEST_CASE("a replica lag bound without replicas changes nothing") {
  const auto url = fresh_database();
  auto options = quick_options();
  options.replica_lag = {1, 1ms};
  std::ostringstream out;
  Runner(url, options, out).up(items_plan());
  CHECK_THAT(out.str(), !Catch::Contains("paused"));
  CHECK(rows_changed(url) == kRows);
}

TEST_CASE("sizes are shown as pg_size_pretty shows them") {
  CHECK(size_for_people(0) == "0 B");
  CHECK(size_for_people(10239) == "10239 B");
  CHECK(size_for_people(10240) == "10 kB");
  CHECK(size_for_people(16 * 1024 * 1024) == "16 MB");
  CHECK(size_for_people(19LL * 1024 * 1024 * 1024 + 5) == "19 GB");
}

}  // namespace
}  // namespace mig::test
