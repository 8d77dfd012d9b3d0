// Golden tests: every directory of tests/golden/ is a migration history. Its last
// NNNN_*.mig file is the input under test; the files before it are the history the schema
// model is built from. The compiler's output is compared with the case's expected.txt:
//
//   - a `fail_*` case: the rendered diagnostics (there must be at least one error);
//   - any other case: the diagnostics, the kinds of the steps, and the upgrade and
//     downgrade scripts of the last migration (there must be no error).
//
// MIG_UPDATE_GOLDEN=1 rewrites the expected.txt files instead of comparing.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/plan/compiler.hpp"
#include "tests/compiler/golden_support.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(MIG_SOURCE_DIR) / "tests" / "golden";

// The case's .mig files in file name order, as `<case>/<file name>`.
std::vector<mig::SourceText> case_sources(const std::string& name) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(kGoldenDir / name))
    if (entry.is_regular_file() && entry.path().extension() == ".mig")
      paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  std::vector<mig::SourceText> sources;
  for (const auto& p : paths)
    sources.push_back({name + "/" + p.filename().string(), mig::test::read_text(p)});
  return sources;
}

std::string step_kinds(const std::vector<mig::PlanStep>& steps) {
  std::string out;
  for (const auto& s : steps) out += (out.empty() ? "" : ", ") + std::string(to_string(s.kind));
  return out.empty() ? "none" : out;
}

// What the case produces, in the form of expected.txt; `problem` says why the case
// cannot pass whatever its expected text (wrong number of errors, ...).
std::string actual_text(const std::string& name, std::string& problem) {
  const bool must_fail = name.rfind("fail_", 0) == 0;
  const auto compilation = mig::compile_sources(case_sources(name));
  std::string diagnostics;
  for (const auto& d : compilation.diagnostics) diagnostics += mig::render(d, false);
  const bool failed = mig::has_errors(compilation.diagnostics);
  if (must_fail) {
    if (!failed) problem = "a fail_ case must produce at least one error";
    return diagnostics;
  }
  if (failed) problem = "the case must compile without errors:\n" + diagnostics;
  if (compilation.migrations.empty()) {
    problem = "the case has no .mig file";
    return diagnostics;
  }
  const auto& last = compilation.migrations.back().plan;
  std::string out = "-- diagnostics\n" + diagnostics;
  out += "-- step kinds\n";
  out += "-- up: " + step_kinds(last.up) + "\n";
  out += "-- down: " + step_kinds(last.down) + "\n";
  out += "-- up script\n" + mig::render_script(last, mig::Direction::Up);
  out += "-- down script\n" + mig::render_script(last, mig::Direction::Down);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Where two texts first differ, for the failure message.
std::string first_difference(const std::string& expected, const std::string& actual) {
  const auto e = lines_of(expected);
  const auto a = lines_of(actual);
  for (std::size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
    const std::string want = i < e.size() ? e[i] : "<end of text>";
    const std::string got = i < a.size() ? a[i] : "<end of text>";
    if (want != got)
      return "first difference at line " + std::to_string(i + 1) + ":\n  expected: " + want +
             "\n  actual:   " + got;
  }
  return "the texts differ only in their last newline";
}

}  // namespace

TEST_CASE("golden cases", "[golden]") {
  const auto names = mig::test::case_names(kGoldenDir);
  REQUIRE_FALSE(names.empty());
  for (const auto& name : names) {
    DYNAMIC_SECTION("golden case " << name) {
      std::string problem;
      const auto actual = actual_text(name, problem);
      INFO("golden case `" << name << "`");
      if (!problem.empty()) FAIL(problem);
      const auto expected_path = kGoldenDir / name / "expected.txt";
      if (mig::test::updating_golden()) {
        mig::test::write_text(expected_path, actual);
        SUCCEED("rewrote " << expected_path.string());
      } else {
        INFO("tests/golden/" << name
                             << "/expected.txt; run with MIG_UPDATE_GOLDEN=1 to rewrite "
                                "it, then review the diff");
        if (!fs::exists(expected_path)) FAIL("expected.txt is missing");
        const auto expected = mig::test::read_text(expected_path);
        INFO(first_difference(expected, actual));
        CHECK(expected == actual);
      }
    }
  }
}
