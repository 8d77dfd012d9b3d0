#include <fmt/format.h>
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

struct Output {
  int exit_status = 0;
  std::string text;
};

// Runs a shell command line; returns its exit status and its stdout and stderr together.
Output shell(const std::string& command) {
  Output output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe))
    output.text.append(buffer.data(), n);
  const int status = pclose(pipe);
  output.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

TEST_CASE("mig: --db wins over DATABASE_URL, which is the fallback") {
  const auto url = fresh_database();
  const auto unreachable = std::string("postgresql:///nowhere?host=/nonexistent-mig-socket-dir");

  const auto flag = shell(fmt::format("DATABASE_URL={} {} history --db {}", quoted(unreachable),
                                      MIG_BINARY, quoted(url)));
  CHECK(flag.exit_status == 0);
  CHECK_THAT(flag.text, Catch::Contains("no migration has run on this database"));

  const auto environment =
      shell(fmt::format("DATABASE_URL={} {} history", quoted(url), MIG_BINARY));
  CHECK(environment.exit_status == 0);

  const auto neither = shell(fmt::format("env -u DATABASE_URL {} history", MIG_BINARY));
  CHECK(neither.exit_status == 2);
  CHECK_THAT(neither.text, Catch::Contains("no database: pass --db URL or set DATABASE_URL"));
}

}  // namespace
}  // namespace mig::test
