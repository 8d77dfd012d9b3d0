// A `mig up` killed with SIGKILL in the middle of a backfill, then run again: every row
// is changed exactly once. While `slow_down` has a row, the batch of keys 1001..1500
// sleeps 3 s on key 1001, so the kill lands inside that batch and the next runner starts
// while the killed runner's statement is still running on the server.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "runtime/scratch_server.hpp"

namespace fs = std::filesystem;

namespace {

constexpr long long kRows = 5000;

long long number(const std::string& url, const std::string& query) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  return session.exec1(query)[0].as<long long>();
}

void execute(const std::string& url, const std::string& statements) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  session.exec(statements);
}

// Polls `query` until it returns `wanted`, for at most a minute; returns the last value.
long long wait_for(const std::string& url, const std::string& query, long long wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  long long value = number(url, query);
  while (value != wanted && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    value = number(url, query);
  }
  return value;
}

std::string mig_up_output(const std::string& arguments) {
  const auto command = fmt::format("'{}' up {} 2>&1", MIG_BINARY, arguments);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  return out;
}

TEST_CASE("a backfill killed mid-run resumes without redoing or skipping rows", "[e2e]") {
  mig::ScratchServer server;
  const auto url = server.create_database("backfill_kill");
  const auto dir = fs::temp_directory_path() / fmt::format("mig-kill-{}", getpid());
  fs::create_directories(dir);
  std::ofstream(dir / "0001_create_items.mig")
      << "create table items {\n  id bigint primary key\n  counter int not null default 0\n}\n";
  std::ofstream(dir / "0002_bump_counters.mig")
      << "backfill items set counter = counter + 1 where id <> 1001 or "
         "not exists (select from slow_down) or length(pg_sleep(3)::text) = 0 batch 500\n";
  const auto arguments = fmt::format("'{}' --db '{}'", dir.string(), url);
  REQUIRE_THAT(mig_up_output(arguments + " --to 1"), Catch::Contains("applied 1 migration"));
  execute(url, fmt::format("INSERT INTO items (id) SELECT generate_series(1, {}); "
                           "CREATE TABLE slow_down (); INSERT INTO slow_down DEFAULT VALUES",
                           kRows));

  const pid_t runner = fork();
  REQUIRE(runner >= 0);
  if (runner == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execl(MIG_BINARY, "mig", "up", dir.c_str(), "--db", url.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto sleeping_batches =
      "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND wait_event = 'PgSleep'";
  REQUIRE(wait_for(url, sleeping_batches, 1) == 1);
  kill(runner, SIGKILL);
  int status = 0;
  waitpid(runner, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter = 1") == 1000);
  CHECK(number(url, sleeping_batches) == 1);  // still running, without its runner
  execute(url, "DELETE FROM slow_down");

  const auto resumed = mig_up_output(arguments);
  CHECK_THAT(resumed, Catch::Contains("resuming after key"));
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter = 1") == kRows);
  CHECK(number(url, "SELECT count(*) FROM items WHERE counter <> 1") == 0);
  fs::remove_all(dir);
}

}  // namespace
