// `mig sql --pending` prints the SQL `mig up` then runs, in the order it runs it: each
// statement it prints (but a backfill batch's, which has placeholders for its key bounds) is
// found, in that order, among the statements the server logs during the `up`.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

// The statements of a script, without comment lines, each trimmed.
std::vector<std::string> statements_of(const std::string& script) {
  std::string code;
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);)
    if (!line.starts_with("--")) code += line + "\n";
  std::vector<std::string> statements;
  for (std::size_t start = 0; start < code.size();) {
    auto end = code.find(";\n", start);
    if (end == std::string::npos) end = code.size();
    auto statement = code.substr(start, end - start);
    statement.erase(0, statement.find_first_not_of(" \n"));
    if (!statement.empty()) statements.push_back(statement);
    start = end + 2;
  }
  return statements;
}

TEST_CASE("sql --pending prints the statements up then runs, in order", "[e2e]") {
  ScratchServer server;
  const auto url = server.create_database("pending_sql");
  const auto dir = fs::temp_directory_path() / fmt::format("mig-pending-{}", getpid());
  fs::remove_all(dir);
  write_text(dir / "0001_create_items.mig",
             "create table items {\n  id bigint primary key\n  n int not null default 0\n}\n");
  write_text(dir / "0002_index_items.mig", "create index concurrently items_n_idx on items (n)\n");
  write_text(dir / "0003_bump_items.mig",
             "alter table items add column note text\n"
             "backfill items set n = n + 1 batch 2\n"
             "alter table items add column label text\n");
  const auto on_database = [&](const std::string& command) {
    return run_mig(fmt::format("{} '{}' --db '{}'", command, dir.string(), url));
  };
  REQUIRE(on_database("up --to 1").exit_code == 0);
  execute(url, "INSERT INTO items (id) SELECT generate_series(1, 5)");

  const auto pending = on_database("sql --pending");
  INFO(pending.output);
  REQUIRE(pending.exit_code == 0);
  const auto& script = pending.output;
  CHECK_THAT(script, Catch::StartsWith("-- mig up on this database now: 2 migrations after "
                                       "version 1"));
  CHECK_THAT(script, !Catch::Contains("0001_create_items upgrade"));
  CHECK_THAT(script, Catch::Contains("-- runs in keyset batches of 2 rows on the primary key"));
  // The index build waits without a limit; the backfill and the ALTERs under lock_timeout.
  CHECK(script.find("CREATE INDEX CONCURRENTLY") < script.find("SET lock_timeout = 100;"));
  CHECK(std::regex_search(script, std::regex("BEGIN;\nALTER TABLE [^\n]+ADD COLUMN \"note\" "
                                             "text;\nCOMMIT;\n")));

  // Every statement the server runs from now on goes to its log.
  execute(url, "ALTER DATABASE pending_sql SET log_statement = 'all'");
  const std::regex host("host=([^&]+)");
  std::smatch match;
  REQUIRE(std::regex_search(url, match, host));
  const fs::path log = fs::path(match[1].str()) / "server.log";
  const auto logged_before = read_text(log).size();
  REQUIRE(on_database("up").exit_code == 0);
  auto logged = read_text(log).substr(logged_before);
  logged = std::regex_replace(logged, std::regex("\n\t"), "\n");  // continuation lines

  std::size_t at = 0;
  int compared = 0;
  for (const auto& statement : statements_of(script)) {
    if (statement.find("$last") != std::string::npos) continue;
    INFO(statement);
    const auto found = logged.find(statement, at);
    REQUIRE(found != std::string::npos);
    at = found + statement.size();
    ++compared;
  }
  CHECK(compared >= 8);
  CHECK(number(url, "SELECT count(*) FROM items WHERE n = 1") == 5);
  CHECK_THAT(on_database("sql --pending").output,
             Catch::Equals("-- nothing to apply; the database is at version 3\n"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mig::test
