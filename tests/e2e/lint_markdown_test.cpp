// Golden cases of `mig lint --format markdown`: every directory of tests/lint_markdown/ is
// one case, run as `mig lint --format markdown ARGS` in the case's directory (ARGS from its
// `args` file); standard output is compared with its expected.md.
//
// MIG_UPDATE_GOLDEN=1 rewrites the expected.md files instead of comparing.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kCasesDir = fs::path(MIG_SOURCE_DIR) / "tests" / "lint_markdown";

bool updating_golden() {
  const char* value = std::getenv("MIG_UPDATE_GOLDEN");
  return value && std::string(value) == "1";
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCasesDir))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("lint markdown golden cases", "[lint_cli]") {
  const auto names = case_names();
  REQUIRE(names.size() >= 4);
  for (const auto& name : names) {
    SECTION(name) {
      const auto dir = kCasesDir / name;
      const auto args = first_line(mig::test::read_text(dir / "args"));
      REQUIRE(!args.empty());
      const auto run = mig::test::run_shell(
          dir, mig::test::shell_quoted(MIG_BINARY) + " lint --format markdown " + args);
      INFO("case " << name << " (MIG_UPDATE_GOLDEN=1 rewrites expected.md)");
      CHECK((run.exit_code == 0 || run.exit_code == 1));
      const auto expected_path = dir / "expected.md";
      if (updating_golden()) {
        mig::test::write_text(expected_path, run.out);
      } else {
        REQUIRE(fs::exists(expected_path));
        CHECK(run.out == mig::test::read_text(expected_path));
      }
    }
  }
}
