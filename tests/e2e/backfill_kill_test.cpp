// A `mig up` killed with SIGKILL in the middle of a backfill, then run again: every row
// is changed exactly once. While `slow_down` has a row, the batch of keys 1001..1500
// sleeps 3 s on key 1001, so the kill lands inside that batch and the next runner starts
// while the killed runner's statement is still running on the server.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

constexpr long long kRows = 5000;

TEST_CASE("a backfill killed mid-run resumes without redoing or skipping rows", "[e2e]") {
  ScratchServer server;
  const auto url = server.create_database("backfill_kill");
  const auto dir = fs::temp_directory_path() / fmt::format("mig-kill-{}", getpid());
  fs::create_directories(dir);
  std::ofstream(dir / "0001_create_items.mig")
      << "create table items {\n  id bigint primary key\n  counter int not null default 0\n}\n";
  std::ofstream(dir / "0002_bump_counters.mig")
      << "backfill items set counter = counter + 1 where id <> 1001 or "
         "not exists (select from slow_down) or length(pg_sleep(3)::text) = 0 batch 500\n";
  const auto arguments = fmt::format("up '{}' --db '{}'", dir.string(), url);
  REQUIRE_THAT(run_mig(arguments + " --to 1").output, Catch::Contains("applied 1 migration"));
  execute(url, fmt::format("INSERT INTO items (id) SELECT generate_series(1, {}); "
                           "CREATE TABLE slow_down (); INSERT INTO slow_down DEFAULT VALUES",
                           kRows));

  MigProcess runner({"up", dir.string(), "--db", url}, "/dev/null");
  const auto sleeping_batches =
      "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND wait_event = 'PgSleep'";
  REQUIRE(wait_for(url, sleeping_batches, 1) == 1);
  runner.kill();
  REQUIRE(runner.outcome() == "killed by signal 9");
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter = 1") == 1000);
  CHECK(number(url, sleeping_batches) == 1);  // still running, without its runner
  execute(url, "DELETE FROM slow_down");

  const auto resumed = run_mig(arguments);
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(resumed.output, Catch::Contains("resuming after key"));
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter = 1") == kRows);
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter <> 1") == 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mig::test
