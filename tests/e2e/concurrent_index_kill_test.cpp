// `mig up` killed with SIGKILL while its CREATE INDEX CONCURRENTLY or DROP INDEX CONCURRENTLY
// runs on the server. PostgreSQL does not notice the client went away: the orphaned backend
// finishes the statement, but the step was never recorded. The next run must see that and
// reach head, whether it starts after the orphan finished or while it is still at work.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

constexpr const char* kIndexValid =
    "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
    "WHERE c.relname = 'items_slow_idx' AND i.indisvalid";
constexpr const char* kIndexCount =
    "SELECT count(*) FROM pg_class WHERE relname = 'items_slow_idx'";
constexpr const char* kStatementsRunning =
    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '{}%' "
    "AND pid <> pg_backend_pid()";
constexpr const char* kLatestStatus =
    "SELECT count(*) FROM (SELECT DISTINCT ON (version) status FROM mig.history "
    "ORDER BY version, id DESC) latest WHERE status <> 'done'";

// Migrations whose index build takes a few seconds: its expression sleeps a millisecond a row.
struct SlowIndexProject {
  SlowIndexProject() : url(server.create_database("concurrent_kill")) {
    fs::create_directories(dir);
    std::ofstream(dir / "0001_create_items.mig")
        << "create table items {\n  id bigint primary key\n}\n";
    std::ofstream(dir / "0002_index_items.mig")
        << "create index concurrently items_slow_idx on items (slow_key(id))\n";
    std::ofstream(dir / "0003_drop_index.mig") << "drop index concurrently items_slow_idx\n";
    execute(url,
            "CREATE FUNCTION slow_key(k bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS "
            "$$ BEGIN PERFORM pg_sleep(0.001); RETURN k; END $$");
    REQUIRE(run_mig(up("--to 1")).exit_code == 0);
    execute(url, "INSERT INTO items SELECT generate_series(1, 2500)");
  }
  ~SlowIndexProject() {
    fs::remove_all(dir);
    fs::remove(log);
  }

  std::string up(const std::string& more = "") const {
    return fmt::format("up '{}' --db '{}' {}", dir.string(), url, more);
  }
  // Starts `mig up`, waits until the server runs `statement`, and kills the runner there.
  void kill_during(const std::string& statement, const std::string& to) const {
    MigProcess runner({"up", dir.string(), "--db", url, "--to", to}, log);
    const auto running = fmt::format(kStatementsRunning, statement);
    REQUIRE(wait_for(url, running, 1) == 1);
    runner.kill();
    CHECK(number(url, running) == 1);  // the orphan goes on without its runner
  }

  ScratchServer server;
  std::string url;
  fs::path dir = fs::temp_directory_path() / fmt::format("mig-concurrent-{}", getpid());
  fs::path log = fs::temp_directory_path() / fmt::format("mig-concurrent-killed-{}.log", getpid());
};

TEST_CASE("a build that finished after its runner was killed is recorded, not redone", "[e2e]") {
  SlowIndexProject project;
  project.kill_during("CREATE INDEX CONCURRENTLY", "2");
  REQUIRE(wait_for(project.url, kIndexValid, 1) == 1);
  REQUIRE(wait_for(project.url, fmt::format(kStatementsRunning, "CREATE INDEX"), 0) == 0);

  const auto rerun = run_mig(project.up());
  INFO(rerun.output);
  CHECK(rerun.exit_code == 0);
  CHECK_THAT(rerun.output,
             Catch::Contains("is already built and valid: the interrupted run's build finished"));
  CHECK(number(project.url, kLatestStatus) == 0);
  CHECK(number(project.url, kIndexCount) == 0);  // and dropped again by 0003
}

TEST_CASE("a rerun started while the killed runner's build still runs waits for it", "[e2e]") {
  SlowIndexProject project;
  project.kill_during("CREATE INDEX CONCURRENTLY", "2");

  const auto rerun = run_mig(project.up("--to 2"));
  INFO(rerun.output);
  CHECK(rerun.exit_code == 0);
  CHECK_THAT(rerun.output, Catch::Contains("waiting up to 30 s for the migration lock"));
  CHECK_THAT(rerun.output, Catch::Contains("CREATE INDEX CONCURRENTLY"));
  CHECK_THAT(rerun.output, Catch::Contains("is already built and valid"));
  CHECK(number(project.url, kIndexValid) == 1);
  CHECK(number(project.url, kIndexCount) == 1);
  CHECK(number(project.url, kLatestStatus) == 0);
}

TEST_CASE("a drop that finished after its runner was killed is recorded, not redone", "[e2e]") {
  SlowIndexProject project;
  REQUIRE(run_mig(project.up("--to 2")).exit_code == 0);
  // An open transaction that has read the table makes DROP INDEX CONCURRENTLY wait for it.
  pqxx::connection reader{project.url};
  pqxx::work open_transaction{reader};
  open_transaction.exec("SELECT count(*) FROM items");
  project.kill_during("DROP INDEX CONCURRENTLY", "3");
  open_transaction.commit();
  REQUIRE(wait_for(project.url, kIndexCount, 0) == 0);

  const auto rerun = run_mig(project.up());
  INFO(rerun.output);
  CHECK(rerun.exit_code == 0);
  CHECK_THAT(rerun.output, Catch::Contains("is already gone: the interrupted run's drop finished"));
  CHECK(number(project.url, kLatestStatus) == 0);
}

}  // namespace
}  // namespace mig::test
