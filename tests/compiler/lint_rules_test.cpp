// Golden lint cases: every directory of tests/lint/ is one case, either a migration
// history (NNNN_*.mig files, linted with lint_migration_sources as `<case>/<file>`) or
// plain SQL files (*.sql, linted with lint_sql_files). An optional mig.toml in the case
// sets the target PostgreSQL version and rule severities. The rendered compile
// diagnostics and findings (with each fix) are compared with the case's expected.txt.
//
// MIG_UPDATE_GOLDEN=1 rewrites the expected.txt files instead of comparing.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"
#include "tests/compiler/golden_support.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kLintDir = fs::path(MIG_SOURCE_DIR) / "tests" / "lint";

std::vector<fs::path> files_with(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == extension)
      paths.push_back(entry.path().filename());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Restores the working directory when it goes out of scope.
class InDirectory {
 public:
  explicit InDirectory(const fs::path& dir) : previous_(fs::current_path()) {
    fs::current_path(dir);
  }
  ~InDirectory() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

std::string render_fix(const mig::Fix& fix) {
  std::string out = "fix: " + fix.description + "\n";
  if (!fix.new_file.empty()) {
    out += "new file: " + fix.new_file + "\n";
    std::istringstream lines(fix.new_file_text);
    for (std::string line; std::getline(lines, line);) out += "  | " + line + "\n";
  }
  return out;
}

std::string lint_case(const std::string& name) {
  const auto dir = kLintDir / name;
  mig::LintOptions options;
  if (fs::exists(dir / "mig.toml")) options = mig::read_lint_config(dir / "mig.toml");
  mig::LintResult result;
  if (const auto sql = files_with(dir, ".sql"); !sql.empty()) {
    InDirectory in(kLintDir);  // so that findings name `<case>/<file>`
    std::vector<fs::path> paths;
    for (const auto& f : sql) paths.push_back(fs::path(name) / f);
    result = mig::lint_sql_files(paths, options);
  } else {
    std::vector<mig::SourceText> sources;
    for (const auto& f : files_with(dir, ".mig"))
      sources.push_back({name + "/" + f.string(), mig::test::read_text(dir / f)});
    result = mig::lint_migration_sources(std::move(sources), options);
  }
  std::string out;
  for (const auto& d : result.compilation.diagnostics) out += mig::render(d, false);
  for (const auto& f : result.findings) {
    out += mig::render(mig::to_diagnostic(f), false);
    if (f.fix) out += render_fix(*f.fix);
  }
  return out.empty() ? "no findings\n" : out;
}

}  // namespace

TEST_CASE("lint golden cases") {
  const auto names = mig::test::case_names(kLintDir);
  REQUIRE(!names.empty());
  for (const auto& name : names) {
    SECTION(name) {
      const auto actual = lint_case(name);
      const auto expected_path = kLintDir / name / "expected.txt";
      if (mig::test::updating_golden()) {
        mig::test::write_text(expected_path, actual);
      } else {
        INFO("case " << name << " (MIG_UPDATE_GOLDEN=1 rewrites expected.txt)");
        REQUIRE(fs::exists(expected_path));
        CHECK(actual == mig::test::read_text(expected_path));
      }
    }
  }
}

TEST_CASE("every rule has a page, and every page a rule") {
  std::set<std::string> ids;
  for (const auto& rule : mig::all_rules()) {
    const std::string id(rule->id());
    INFO("rule " << id);
    CHECK(ids.insert(id).second);
    CHECK(!mig::rule_doc(id).empty());
    CHECK(mig::rule_doc(id).starts_with("# " + id + "\n"));
    CHECK(!rule->summary().empty());
  }
  for (const auto& entry : fs::directory_iterator(fs::path(MIG_SOURCE_DIR) / "docs" / "rules")) {
    if (entry.path().extension() != ".md") continue;
    const auto id = entry.path().stem().string();
    INFO("page docs/rules/" << entry.path().filename().string());
    // `unused-allow` is reported by the engine itself, not by a rule of the list.
    CHECK((ids.count(id) > 0 || id == "unused-allow"));
  }
}

TEST_CASE("every rule is covered by a golden case that fires it") {
  std::string all_expected;
  for (const auto& name : mig::test::case_names(kLintDir))
    all_expected += mig::test::read_text(kLintDir / name / "expected.txt");
  for (const auto& rule : mig::all_rules()) {
    INFO("rule " << rule->id());
    CHECK(all_expected.find("[" + std::string(rule->id()) + "]") != std::string::npos);
  }
  CHECK(all_expected.find("[unused-allow]") != std::string::npos);
}

TEST_CASE("plain SQL files linted in parallel give what one job gives, in the same order",
          "[lint]") {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(MIG_SOURCE_DIR) / "tests"))
    if (entry.path().extension() == ".sql") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() > 20);
  const auto rendered = [&](int jobs) {
    mig::LintOptions options;
    options.jobs = jobs;
    const auto result = mig::lint_sql_files(paths, options);
    std::string out;
    for (const auto& d : result.compilation.diagnostics) out += mig::render(d) + "\n";
    for (const auto& f : result.findings) out += mig::render(mig::to_diagnostic(f)) + "\n";
    for (const auto& m : result.sql_migrations) out += m.name + "\n";
    return out;
  };
  const auto serial = rendered(1);
  CHECK(serial.find("warning") != std::string::npos);
  CHECK(rendered(4) == serial);
  CHECK(rendered(64) == serial);
}
