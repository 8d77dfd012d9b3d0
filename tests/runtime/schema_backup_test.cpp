#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

namespace fs = std::filesystem;

// A fresh, empty directory under the system's temporary directory, removed at the end.
struct TemporaryDirectory {
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "mig-backup-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

Plan accounts_plan() {
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_accounts",
      {in_transaction(1, "create table accounts",
                      "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)")},
      {in_transaction(1, "drop table accounts", "DROP TABLE accounts")}));
  plan.migrations.push_back(migration(
      2, "add_accounts_status",
      {in_transaction(1, "add column accounts.status",
                      "ALTER TABLE accounts ADD COLUMN status text NOT NULL DEFAULT 'active'")},
      {in_transaction(1, "drop column accounts.status",
                      "ALTER TABLE accounts DROP COLUMN status")}));
  return plan;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("up --backup-schema dumps the schema before the first pending migration runs") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  TemporaryDirectory temporary;
  const auto dir = temporary.path / "backups";  // created by mig
  RunOptions options;
  std::ostringstream out;
  Runner(url, options, out).up(plan, 1);
  execute(url, "INSERT INTO accounts VALUES (1, 'secret-row@example.com')");

  options.backup_schema_dir = dir;
  Runner(url, options, out).up(plan);

  const auto files = files_in(dir);
  REQUIRE(files.size() == 1);
  const auto name = files[0].filename().string();
  CHECK_THAT(name, Catch::Matches(R"(\d{8}T\d{6}Z_before_0002\.sql)"));
  const auto dump = read_text(files[0]);
  // Taken before 0002 ran: the table has no status column yet.
  CHECK_THAT(dump, Catch::Contains("CREATE TABLE public.accounts (\n"
                                   "    id bigint NOT NULL,\n"
                                   "    email text NOT NULL\n"
                                   ");"));
  CHECK_THAT(dump, !Catch::Contains("secret-row"));  // schema only
  CHECK_THAT(out.str(), Catch::Contains("wrote the schema before 0002_add_accounts_status to " +
                                        files[0].string()));
  CHECK(column_count(url, "accounts", "status") == 1);

  SECTION("nothing pending: no dump") {
    Runner(url, options, out).up(plan);
    CHECK(files_in(dir).size() == 1);
  }
}

TEST_CASE("up --backup-schema applies nothing when the dump cannot be written") {
  const auto url = fresh_database();
  const auto plan = accounts_plan();
  TemporaryDirectory temporary;
  RunOptions options;
  std::ostringstream out;
  Runner(url, options, out).up(plan, 1);

  std::string message;
  SECTION("the directory cannot be created") {
    // Tests may run as root, who can write anywhere: a regular file where a directory must go
    // stops even root.
    const auto file = temporary.path / "not-a-directory";
    std::ofstream(file) << "x";
    options.backup_schema_dir = file / "backups";
    message = error_of([&] { Runner(url, options, out).up(plan); });
    CHECK_THAT(message, Catch::Contains("--backup-schema: cannot create directory"));
  }
  SECTION("pg_dump cannot write its file") {
    // /proc/self exists but no new file can be created in it, not even by root.
    options.backup_schema_dir = fs::path("/proc/self");
    message = error_of([&] { Runner(url, options, out).up(plan); });
    CHECK_THAT(message, Catch::Contains("pg_dump --schema-only --file /proc/self/"));
    CHECK_THAT(message, Catch::Contains("failed with status 1"));
  }
  SECTION("pg_dump fails") {
    options.backup_schema_dir = temporary.path;
    options.pg_dump = "false";
    message = error_of([&] { Runner(url, options, out).up(plan); });
    CHECK_THAT(message, Catch::Contains("`false --schema-only --file"));
    CHECK(files_in(temporary.path).empty());  // no partial file left behind
  }
  CHECK_THAT(message, Catch::Contains("nothing was applied"));
  CHECK(column_count(url, "accounts", "status") == 0);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history WHERE version = 2") == 0);
}

}  // namespace
}  // namespace mig::test
