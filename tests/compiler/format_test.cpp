// `mig fmt` (compiler/format): the layout cases of tests/format/ (input.mig formats to
// expected.mig; MIG_UPDATE_GOLDEN=1 rewrites expected.mig), and over every .mig file of the
// repository and a corpus generated from them: formatting is idempotent and a formatted
// history compiles to the same upgrade and downgrade SQL as the original.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/format/formatter.hpp"
#include "compiler/plan/compiler.hpp"
#include "tests/compiler/golden_support.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = MIG_SOURCE_DIR;

std::optional<std::string> format(const std::string& path, const std::string& text,
                                  std::string* errors = nullptr) {
  const mig::SourceFile file(path, text);
  mig::Diagnostics diagnostics;
  auto result = mig::format_source(file, diagnostics);
  if (errors)
    for (const auto& d : diagnostics) *errors += mig::render(d, false);
  return result;
}

// Every migration's upgrade and downgrade script, or nothing when the history has errors.
std::optional<std::string> scripts(const std::vector<mig::SourceText>& sources) {
  const auto compilation = mig::compile_sources(sources);
  if (mig::has_errors(compilation.diagnostics)) return std::nullopt;
  std::string out;
  for (const auto& m : compilation.plan().migrations)
    out += mig::render_script(m, mig::Direction::Up) + mig::render_script(m, mig::Direction::Down);
  return out;
}

// The repository's migration histories: each directory holding .mig files, its files in order.
std::map<fs::path, std::vector<mig::SourceText>> repository_histories() {
  std::map<fs::path, std::vector<mig::SourceText>> histories;
  for (const auto* top : {"migrations", "examples", "tests", "bench"})
    for (auto entry = fs::recursive_directory_iterator(kSourceDir / top);
         entry != fs::recursive_directory_iterator(); ++entry) {
      // A benchmark's out/ holds what it generated, thousands of files that are not sources.
      if (entry->is_directory() && entry->path().filename() == "out")
        entry.disable_recursion_pending();
      else if (entry->is_regular_file() && entry->path().extension() == ".mig")
        histories[entry->path().parent_path()].push_back(
            {entry->path().string(), mig::test::read_text(entry->path())});
    }
  for (auto& [dir, sources] : histories)
    std::sort(sources.begin(), sources.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
  return histories;
}

// Noise that changes no statement: more space between words, the whole file indented
// alike (a line indented deeper than its statement's first would continue it), more blank
// lines where there is one, `;` after a line, an upper-case first word that is a keyword. What is
// not compiled is left alone: comments (a line with an SQL comment entirely), `@allow` lines, and
// `sql { }` blocks, whose statements mig reads without their layout. Noise that lands in SQL
// changes the plan; the caller drops such variants.
std::string perturbed(const std::string& text, std::mt19937& random) {
  std::istringstream in(text);
  std::string out;
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  bool in_sql_block = false;
  // Not where SQL keeps its layout: `sql { }` blocks and SQL comments.
  const bool shifted = text.find("sql {") == std::string::npos &&
                       text.find("/*") == std::string::npos &&
                       text.find("--") == std::string::npos && chance(20);
  for (std::string line; std::getline(in, line);) {
    if (shifted && !line.empty()) line.insert(0, "   ");
    const bool sql_block_line = in_sql_block || line.starts_with("sql");
    if (line.starts_with("sql"))
      in_sql_block =
          std::count(line.begin(), line.end(), '{') != std::count(line.begin(), line.end(), '}');
    else if (in_sql_block && line.starts_with("}") && !line.ends_with("{"))
      in_sql_block = false;
    const auto comment = line.find('#');
    if (!sql_block_line && line.find('@') == std::string::npos &&
        line.find("--") == std::string::npos && line.find("/*") == std::string::npos) {
      std::string code = line.substr(0, comment),
                  rest = line.substr(std::min(comment, line.size()));
      if (chance(30)) {
        std::string spaced;
        for (const char c : code)
          spaced += c == ' ' ? std::string(chance(50) ? 3 : 1, ' ') : std::string(1, c);
        code = spaced;
      }
      const auto word = code.find_first_not_of(" \t");
      const auto word_end = std::min(code.find(' ', word), code.size());
      if (chance(30) && word != std::string::npos &&
          std::set<std::string>{"create", "alter", "drop", "add", "rename", "backfill"}.count(
              code.substr(word, word_end - word)))
        for (auto i = word; i < word_end; ++i)
          code[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(code[i])));
      if (chance(10) && rest.empty() && !code.empty() && code.back() != '{') code += " ;";
      line = code + rest;
    }
    out += line + "\n";
    if (line.empty() && chance(50)) out += chance(50) ? "\n" : "  \n\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the layout cases of tests/format", "[fmt]") {
  const auto dir = kSourceDir / "tests" / "format";
  const auto names = mig::test::case_names(dir);
  REQUIRE(names.size() >= 5);
  for (const auto& name : names) {
    DYNAMIC_SECTION(name) {
      std::string errors;
      const auto input = mig::test::read_text(dir / name / "input.mig");
      const auto result = format((dir / name / "input.mig").string(), input, &errors);
      INFO(errors);
      REQUIRE(result);
      if (mig::test::updating_golden()) {
        mig::test::write_text(dir / name / "expected.mig", *result);
        continue;
      }
      CHECK(*result == mig::test::read_text(dir / name / "expected.mig"));
      CHECK(format("again.mig", *result) == result);
    }
  }
}

TEST_CASE("every .mig file of the repository formats idempotently to the same plan", "[fmt]") {
  int files = 0, histories = 0;
  for (const auto& [dir, sources] : repository_histories()) {
    std::vector<mig::SourceText> formatted;
    for (const auto& source : sources) {
      const auto once = format(source.path, source.text);
      if (!once) break;  // a case of a syntax error
      INFO(source.path);
      CHECK(format(source.path, *once) == once);
      formatted.push_back({source.path, *once});
      ++files;
    }
    if (formatted.size() != sources.size()) continue;
    const auto original = scripts(sources);
    if (!original) continue;
    INFO(dir.string());
    CHECK(scripts(formatted) == original);
    ++histories;
  }
  CHECK(files >= 350);
  CHECK(histories >= 130);
}

TEST_CASE("a generated corpus of noisy files formats to the clean file", "[fmt]") {
  std::mt19937 random(20261205);
  int variants = 0, kept = 0;
  for (const auto& [dir, sources] : repository_histories()) {
    std::vector<mig::SourceText> clean;
    for (const auto& source : sources)
      if (auto once = format(source.path, source.text)) clean.push_back({source.path, *once});
    if (clean.size() != sources.size()) continue;
    const auto plan = scripts(clean);
    if (!plan) continue;
    for (std::size_t i = 0; i < clean.size(); ++i)
      for (int variant = 0; variant < 3; ++variant) {
        auto noisy = clean;
        noisy[i].text = perturbed(clean[i].text, random);
        ++variants;
        if (noisy[i].text == clean[i].text || scripts(noisy) != plan) continue;
        ++kept;
        INFO(noisy[i].path << " as\n" << noisy[i].text);
        CHECK(format(noisy[i].path, noisy[i].text) == clean[i].text);
      }
  }
  INFO(kept << " of " << variants << " variants compile to the clean file's plan");
  CHECK(kept * 2 >= variants);
}
