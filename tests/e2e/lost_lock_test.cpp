// The migration lock lives on the session that does the work. When that session is ended
// (an operator's pg_terminate_backend, a proxy dropping the connection), the runner stops
// instead of going on without the lock; a second runner started meanwhile takes over, and
// every row of a backfill is still changed exactly once. A server-side idle_session_timeout
// does not end a runner that pauses between batches.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "runtime/migration_lock.hpp"
#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

constexpr long long kRows = 20000;

struct BackfillProject {
  explicit BackfillProject(const std::string& name) : url(server.create_database(name)) {
    fs::create_directories(dir);
    fs::create_directories(logs);
    std::ofstream(dir / "0001_create_counters.mig")
        << "create table counters {\n  id bigint primary key\n  n int not null default 0\n}\n";
    std::ofstream(dir / "0002_bump.mig") << "backfill counters set n = n + 1 batch 500\n";
    REQUIRE(run_mig(fmt::format("up '{}' --db '{}' --to 1", dir.string(), url)).exit_code == 0);
    execute(url, fmt::format("INSERT INTO counters SELECT generate_series(1, {})", kRows));
  }
  ~BackfillProject() {
    fs::remove_all(dir);
    fs::remove_all(logs);
  }

  std::unique_ptr<MigProcess> start_up(const std::string& log,
                                       const std::string& batch_pause) const {
    return std::make_unique<MigProcess>(
        std::vector<std::string>{"up", dir.string(), "--db", url, "--batch-pause", batch_pause,
                                 "--lock-wait", "60"},
        logs / log);
  }
  void wait_for_backfill_to_start() const {
    REQUIRE(wait_for(url,
                     "SELECT count(*) FROM mig.history WHERE version = 2 AND status = 'running' "
                     "AND backfill_position IS NOT NULL",
                     1) == 1);
  }
  // Waits for both runners to end; their output goes with any failed check.
  static void finish(MigProcess& first, MigProcess& second) {
    first.wait(std::chrono::seconds(120));
    second.wait(std::chrono::seconds(120));
    UNSCOPED_INFO("first runner:\n" << first.output() << "\nsecond runner:\n" << second.output());
  }
  void check_every_row_changed_once() const {
    CHECK(number(url, "SELECT count(*) FROM counters WHERE n = 1") == kRows);
    CHECK(number(url, "SELECT count(*) FROM counters WHERE n <> 1") == 0);
  }

  ScratchServer server;
  std::string url;
  fs::path dir = fs::temp_directory_path() / fmt::format("mig-lost-lock-{}", getpid());
  fs::path logs = fs::temp_directory_path() / fmt::format("mig-lost-lock-logs-{}", getpid());
};

TEST_CASE("a runner whose session is terminated stops, and the next one finishes the backfill",
          "[e2e]") {
  BackfillProject project("lost_lock");
  const auto first = project.start_up("first.log", "20");
  project.wait_for_backfill_to_start();
  const auto terminated =
      number(project.url, fmt::format("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE "
                                      "locktype = 'advisory' AND granted AND objid = {}",
                                      kMigrationLockKey));
  REQUIRE(terminated == 1);
  const auto second = project.start_up("second.log", "0");

  BackfillProject::finish(*first, *second);
  CHECK(first->outcome() == "exited with 1");
  // The server's reason arrives when the session ends between statements; when it ends while
  // a batch runs or commits, libpqxx loses it.
  CHECK_THAT(first->output(),
             Catch::Contains("the connection to the database was lost; the server "
                             "said: terminating connection due to administrator") ||
                 Catch::Contains("the connection to the database was lost while a "
                                 "statement ran: the server ended the session") ||
                 Catch::Contains("the connection to the database was lost while committing, "
                                 "so whether the transaction committed is unknown"));
  CHECK_THAT(first->output(), !Catch::Contains("client encoding"));
  CHECK(second->succeeded());
  CHECK_THAT(second->output(), Catch::Contains("resuming after key"));
  project.check_every_row_changed_once();
  CHECK(
      run_mig(fmt::format("status '{}' --db '{}'", project.dir.string(), project.url)).exit_code ==
      0);
}

TEST_CASE("idle_session_timeout does not end a runner pausing between batches", "[e2e]") {
  BackfillProject project("idle_timeout");
  execute(project.url, "ALTER DATABASE idle_timeout SET idle_session_timeout = '100ms'");
  // Each pause between batches leaves the runner's sessions idle for longer than that.
  const auto first = project.start_up("first.log", "150");
  project.wait_for_backfill_to_start();
  const auto status =
      run_mig(fmt::format("status '{}' --db '{}'", project.dir.string(), project.url));
  CHECK(status.exit_code == 3);
  CHECK_THAT(status.output, Catch::Contains("being applied now by pid"));
  const auto second = project.start_up("second.log", "0");
  BackfillProject::finish(*first, *second);
  CHECK(first->succeeded());
  CHECK(second->succeeded());
  CHECK_THAT(second->output(), Catch::Contains("nothing to apply"));
  project.check_every_row_changed_once();
}

}  // namespace
}  // namespace mig::test
