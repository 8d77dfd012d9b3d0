// The `mig lint` commands of examples/ci/github-actions.yml, taken from the workflow file
// itself and run as GitHub Actions runs them (bash -eo pipefail, with the step's
// environment) in a git repository whose branch adds a migration to a base commit's history.

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace {

namespace fs = std::filesystem;
using mig::test::run_shell;
using mig::test::shell_quoted;

std::size_t indentation(const std::string& line) {
  return std::min(line.find_first_not_of(' '), line.size());
}

// The `run:` values of a workflow, read as far as this file writes them: a plain scalar on
// the key's line (a ` #` comment cut off), or a `|` block of the lines indented deeper.
std::vector<std::string> run_commands(const std::string& workflow) {
  std::vector<std::string> lines;
  std::istringstream in(workflow);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> commands;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto at = lines[i].find("run: ");
    if (at == std::string::npos || lines[i].find_first_not_of(" -") != at) continue;
    const auto value = lines[i].substr(at + 5);
    if (value != "|") {
      auto command = value.substr(0, value.find(" #"));
      command.erase(command.find_last_not_of(' ') + 1);
      commands.push_back(command);
      continue;
    }
    std::string block;
    const auto key_indentation = indentation(lines[i]);
    while (i + 1 < lines.size() &&
           (lines[i + 1].empty() || indentation(lines[i + 1]) > key_indentation)) {
      ++i;
      if (!lines[i].empty()) block += lines[i].substr(indentation(lines[i]));
      block += "\n";
    }
    commands.push_back(block);
  }
  return commands;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Repository {
  fs::path dir = fs::temp_directory_path() / ("mig_ci_example_" + std::to_string(getpid()));
  Repository() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Repository() { fs::remove_all(dir); }
  void file(const std::string& path, const std::string& text) const {
    mig::test::write_text(dir / path, text);
  }
  std::string git(const std::string& arguments) const {
    const auto run =
        run_shell(dir, "git -c user.name=mig -c user.email=mig@example.com " + arguments + " 2>&1");
    INFO("git " << arguments << "\n" << run.out);
    REQUIRE(run.exit_code == 0);
    return run.out;
  }
};

}  // namespace

TEST_CASE("the example workflow's commands report a branch's migrations", "[lint_cli]") {
  const auto workflow =
      mig::test::read_text(fs::path(MIG_SOURCE_DIR) / "examples" / "ci" / "github-actions.yml");
  std::vector<std::string> lint_commands;
  for (const auto& command : run_commands(workflow))
    if (contains(command, "mig lint")) lint_commands.push_back(command);
  REQUIRE(lint_commands.size() == 2);  // the report for the comment, the annotations
  std::vector<std::string> format_commands;
  for (const auto& command : run_commands(workflow))
    if (contains(command, "mig fmt")) format_commands.push_back(command);
  REQUIRE(format_commands.size() == 1);

  Repository repo;
  repo.git("init -q -b main");
  repo.file("migrations/0001_create_users.mig",
            "create table users {\n"
            "  id    bigint primary key generated always as identity\n"
            "  email text not null\n"
            "}\n");
  repo.file("migrations/0002_add_users_name.mig", "alter table users add column name text\n");
  repo.git("add -A");
  repo.git("commit -q -m base");
  const auto base = repo.git("rev-parse HEAD").substr(0, 40);
  repo.git("checkout -q -b feature");
  repo.file("migrations/0003_index_users_email.mig",
            "create index users_email_idx on users (email)\n");
  repo.git("add -A");
  repo.git("commit -q -m 'index users by email'");

  const auto mig_dir = fs::path(MIG_BINARY).parent_path();
  const auto summary = repo.dir / "step-summary.md";
  // As the step runs, with its `env:` (BASE_SHA) and what the runner sets.
  const auto run_step = [&](const std::string& command, const std::string& base_sha) {
    return run_shell(repo.dir, "env PATH=" + shell_quoted(mig_dir.string()) +
                                   ":\"$PATH\" BASE_SHA=" + shell_quoted(base_sha) +
                                   " GITHUB_STEP_SUMMARY=" + shell_quoted(summary.string()) +
                                   " bash -eo pipefail -c " + shell_quoted(command));
  };

  // The report: exit 0 although there is a finding (the annotations step fails the job).
  const auto report_step = run_step(lint_commands[0], base);
  CHECK(report_step.exit_code == 0);
  const auto report = mig::test::read_text(repo.dir / "mig-lint.md");
  INFO(report);
  CHECK(
      report.starts_with("**mig lint**: 1 migration, 1 finding (1 warning); worst lock SHARE on "
                         "`public.users` (blocks writes), `0003_index_users_email.mig` step 1\n"));
  CHECK(contains(report, "### `migrations/0003_index_users_email.mig`"));
  CHECK(!contains(report, "0001_create_users"));
  CHECK(!contains(report, "0002_add_users_name"));
  CHECK(contains(report,
                 "| 1 | create index users\\_email\\_idx on public.users | 1 | SHARE on "
                 "`public.users` | writes | scans | :warning: `locking-index` |\n"));
  CHECK(contains(report, "| :warning: warning | 1:1 | 1 | `locking-index` | building index"));
  CHECK(mig::test::read_text(summary) == report);

  // The annotations: the new migration's finding, failing the job.
  const auto annotations = run_step(lint_commands[1], base);
  CHECK(annotations.exit_code == 1);
  CHECK(annotations.out.starts_with(
      "::warning file=migrations/0003_index_users_email.mig,line=1,col=1,"));
  CHECK(!contains(annotations.out, "0002_add_users_name"));

  // The layout check: the branch's files are formatted; a file that is not fails the job,
  // named with its first differing line.
  CHECK(run_step(format_commands[0], base).exit_code == 0);
  repo.file("migrations/0003_index_users_email.mig",
            "CREATE INDEX users_email_idx ON users (email)\n");
  const auto unformatted = run_step(format_commands[0], base);
  CHECK(unformatted.exit_code == 1);
  CHECK(contains(unformatted.out, "migrations/0003_index_users_email.mig:1: not formatted\n"));
  CHECK(!contains(unformatted.out, "0001_create_users"));

  SECTION("a base git does not know (exit code 2) fails the report step") {
    fs::remove(repo.dir / "mig-lint.md");
    const auto unknown = run_step(lint_commands[0], "no-such-ref");
    CHECK(unknown.exit_code != 0);
    CHECK(mig::test::read_text(repo.dir / "mig-lint.md").empty());
  }
}
