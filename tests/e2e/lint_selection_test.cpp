// Which migrations `mig lint` reports: `.mig` file arguments and `--changed-since REF`
// report only some files while the whole history is compiled, in every output format and
// for the exit code.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace {

namespace fs = std::filesystem;
using mig::test::run_shell;
using mig::test::shell_quoted;
using nlohmann::json;

// A git repository whose main branch holds migrations 0001 (creating users) and 0002 (a
// locking index: a warning), and whose current branch `feature` adds 0003 (a `timestamp`
// column: a warning).
struct Repository {
  fs::path dir = fs::temp_directory_path() / ("mig_lint_selection_" + std::to_string(getpid()));
  Repository() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    git("init -q -b main");
    file("migrations/0001_create_users.mig",
         "create table users {\n  id bigint primary key generated always as identity\n"
         "  email text\n}\n");
    file("migrations/0002_index_users_email.mig",
         "create index users_email_idx on users (email)\n");
    git("add -A");
    git("commit -q -m base");
    git("checkout -q -b feature");
    file("migrations/0003_add_users_seen_at.mig",
         "alter table users add column seen_at timestamp\n");
    git("add -A");
    git("commit -q -m seen_at");
  }
  ~Repository() { fs::remove_all(dir); }
  void file(const std::string& path, const std::string& text) const {
    mig::test::write_text(dir / path, text);
  }
  void git(const std::string& arguments) const {
    const auto run =
        run_shell(dir, "git -c user.name=mig -c user.email=mig@example.com " + arguments + " 2>&1");
    INFO("git " << arguments << "\n" << run.out);
    REQUIRE(run.exit_code == 0);
  }
  mig::test::ShellRun mig(const std::string& arguments) const {
    return run_shell(dir, shell_quoted(MIG_BINARY) + " lint " + arguments + " 2>&1");
  }
  // The files of the JSON findings of `mig lint ARGUMENTS --format json`.
  std::set<std::string> files_with_findings(const std::string& arguments) const {
    const auto run = mig(arguments + " --format json");
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    std::set<std::string> files;
    const auto doc = json::parse(run.out);
    for (const auto& f : doc["findings"]) files.insert(f["file"].get<std::string>());
    return files;
  }
};

}  // namespace

TEST_CASE("lint reports only the .mig files given and compiles the whole history", "[lint_cli]") {
  Repository repo;
  CHECK(repo.files_with_findings("migrations") ==
        std::set<std::string>{"migrations/0002_index_users_email.mig",
                              "migrations/0003_add_users_seen_at.mig"});
  // 0003 compiles only after 0001: the history is compiled, 0003 alone reported.
  CHECK(repo.files_with_findings("migrations/0003_add_users_seen_at.mig") ==
        std::set<std::string>{"migrations/0003_add_users_seen_at.mig"});
  CHECK(repo.files_with_findings("migrations/0001_create_users.mig").empty());
  // Only the reported files' findings count for the exit code.
  CHECK(repo.mig("migrations/0001_create_users.mig --deny-warnings").exit_code == 0);
  CHECK(repo.mig("migrations/0002_index_users_email.mig --deny-warnings").exit_code == 1);

  SECTION("a directory with .mig files, or .mig with .sql files, is a usage error") {
    repo.file("x.sql", "select 1;\n");
    const auto both = repo.mig("migrations migrations/0003_add_users_seen_at.mig");
    CHECK(both.exit_code == 2);
    CHECK(both.out == "mig: lint migrations directories, .mig files of them, or .sql files\n");
    CHECK(repo.mig("migrations/0003_add_users_seen_at.mig x.sql").exit_code == 2);
  }
  SECTION("several directories are reported as one") {
    repo.file("more/0001_create_orders.mig",
              "create table orders {\n  id int primary key generated always as identity\n}\n");
    CHECK(repo.files_with_findings("migrations more") ==
          std::set<std::string>{"migrations/0002_index_users_email.mig",
                                "migrations/0003_add_users_seen_at.mig",
                                "more/0001_create_orders.mig"});
  }
}

TEST_CASE("lint --changed-since reports the migrations a branch changed", "[lint_cli]") {
  Repository repo;
  CHECK(repo.files_with_findings("--changed-since main") ==
        std::set<std::string>{"migrations/0003_add_users_seen_at.mig"});
  const auto markdown = repo.mig("--changed-since main --format markdown");
  CHECK(markdown.out.starts_with("**mig lint**: 1 migration, 1 finding (1 warning);"));

  SECTION("changes not committed yet, and new files, count") {
    repo.file("migrations/0002_index_users_email.mig",
              "create index users_email_idx on users (email)\n# why\n");
    repo.file("migrations/0004_index_users_seen_at.mig",
              "create index users_seen_at_idx on users (seen_at)\n");
    CHECK(repo.files_with_findings("--changed-since main") ==
          std::set<std::string>{"migrations/0002_index_users_email.mig",
                                "migrations/0003_add_users_seen_at.mig",
                                "migrations/0004_index_users_seen_at.mig"});
  }
  SECTION("from where the branch left: later commits on main do not count") {
    repo.git("checkout -q main");
    repo.file("migrations/0002_index_users_email.mig",
              "create index users_email_idx on users (email)\n# changed on main\n");
    repo.git("commit -q -a -m later");
    repo.git("checkout -q feature");
    CHECK(repo.files_with_findings("--changed-since main") ==
          std::set<std::string>{"migrations/0003_add_users_seen_at.mig"});
  }
  SECTION("with .mig files, those of them that changed") {
    CHECK(repo.files_with_findings("migrations/0002_index_users_email.mig --changed-since main")
              .empty());
  }
  SECTION("with .sql files, only the changed ones are linted") {
    repo.git("checkout -q main");
    repo.file("sql/0001_index.sql", "create index a_idx on users (email);\n");
    repo.git("add -A");
    repo.git("commit -q -m sql");
    repo.git("checkout -q -b sql-feature");
    repo.file("sql/0002_index.sql", "create index b_idx on users (email);\n");
    CHECK(repo.files_with_findings("sql/0001_index.sql sql/0002_index.sql") ==
          std::set<std::string>{"sql/0001_index.sql", "sql/0002_index.sql"});
    CHECK(repo.files_with_findings("sql/0001_index.sql sql/0002_index.sql --changed-since main") ==
          std::set<std::string>{"sql/0002_index.sql"});
  }
  SECTION("a ref git does not know is a usage error that says so") {
    const auto run = repo.mig("--changed-since no-such-ref");
    CHECK(run.exit_code == 2);
    CHECK(run.out.starts_with("mig: `git -C migrations merge-base no-such-ref HEAD` failed: "));
  }
}
