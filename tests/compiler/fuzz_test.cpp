// A bounded mutation fuzzer over .mig and .sql inputs, seeded with the golden and lint
// cases and migrations/. Each input runs through the compiler and the linter in-process;
// the test checks that nothing crashes or throws, that no input takes longer than the
// time limit, and that every error is located in a file (`file:line:col:`).
//
// MIG_FUZZ_INPUTS (default 3000) and MIG_FUZZ_SEED (default 1) set the run;
// bench/fuzz/run.sh runs it long. With MIG_FUZZ_DIR set, each input is written to
// MIG_FUZZ_DIR/current.mig (or .sql) before it runs, so a crash leaves it behind.

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "compiler/lint/linter.hpp"
#include "tests/compiler/golden_support.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kTimeLimit = std::chrono::seconds(5);

struct SeedCase {
  std::vector<mig::SourceText> history;  // .mig files before the mutated one
  mig::SourceText input;
  bool sql = false;
};

std::vector<SeedCase> seed_cases() {
  const fs::path root(MIG_SOURCE_DIR);
  std::vector<SeedCase> cases;
  auto add_directory = [&](const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && (e.path().extension() == ".mig" || e.path().extension() == ".sql"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<mig::SourceText> history;
    for (const auto& f : files) {
      mig::SourceText text{"fuzz/" + f.filename().string(), mig::test::read_text(f)};
      const bool sql = f.extension() == ".sql";
      cases.push_back({sql ? std::vector<mig::SourceText>{} : history, text, sql});
      if (!sql) history.push_back(std::move(text));
    }
  };
  for (const auto* area : {"tests/golden", "tests/lint"})
    for (const auto& name : mig::test::case_names(root / area)) add_directory(root / area / name);
  add_directory(root / "migrations");
  return cases;
}

const std::vector<std::string> kTokens = {"(",
                                          ")",
                                          "[",
                                          "]",
                                          "{",
                                          "}",
                                          "'",
                                          "\"",
                                          "$$",
                                          "$a$",
                                          "--",
                                          "/*",
                                          "*/",
                                          "#",
                                          ";",
                                          ",",
                                          "\n",
                                          "\r\n",
                                          " ",
                                          "E'\\'",
                                          "::",
                                          "create table t { id bigint primary key }\n",
                                          "alter table ",
                                          " default ",
                                          " check (",
                                          " where ",
                                          " using ",
                                          " not null",
                                          " references ",
                                          "sql {",
                                          "} down {",
                                          "backfill t set a = ",
                                          " batch ",
                                          "delete from t where ",
                                          "@allow(locking-index, \"r\")\n",
                                          "create index concurrently i on t (",
                                          "drop table ",
                                          "rename column a to b",
                                          std::string(1, '\0'),
                                          "\xff",
                                          "\xc3",
                                          "\xe9",
                                          "\xef\xbb\xbf",
                                          "\xf0\x9f\x98\x80",
                                          "\xed\xa0\x80"};

class Mutator {
 public:
  Mutator(std::uint64_t seed, const std::vector<SeedCase>& cases) : random_(seed), cases_(cases) {}

  std::size_t below(std::size_t n) {
    return n ? std::uniform_int_distribution<std::size_t>(0, n - 1)(random_) : 0;
  }

  std::string mutate(std::string text) {
    const auto count = 1 + below(4);
    for (std::size_t i = 0; i < count; ++i) mutate_once(text);
    return text;
  }

 private:
  std::string repeated(const std::string& piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
  }

  void mutate_once(std::string& text) {
    const auto at = below(text.size() + 1);
    const auto length = below(std::min<std::size_t>(text.size() - at, 64) + 1);
    switch (below(11)) {
      case 0:  // a random byte
        text.insert(at, 1, static_cast<char>(below(256)));
        break;
      case 1:  // delete a range
        text.erase(at, length);
        break;
      case 2:  // duplicate a range
        text.insert(at, text.substr(at, length));
        break;
      case 3: {  // splice a range of another input
        const auto& other = cases_[below(cases_.size())].input.text;
        const auto from = below(other.size() + 1);
        text.insert(at, other.substr(from, below(200)));
        break;
      }
      case 4:
      case 5:  // a token of the languages
        text.insert(at, kTokens[below(kTokens.size())]);
        break;
      case 6: {  // deep nesting, closed or not
        static const std::vector<std::pair<std::string, std::string>> pairs = {
            {"(", ")"},   {"[", "]"},  {"{", "}"},  {"array[", "]"},
            {"not ", ""}, {"1+", "1"}, {"- ", "1"}, {"/*", "*/"}};
        const auto& [open, close] = pairs[below(pairs.size())];
        const std::size_t depth = std::size_t{1} << below(17);
        text.insert(at, repeated(open, depth) + (below(2) ? "1" + repeated(close, depth) : ""));
        break;
      }
      case 7: {  // a huge identifier, bare or quoted
        const std::string name(60 + below(below(2) ? 10 : 100000), 'n');
        text.insert(at, below(2) ? name : "\"" + name + "\"");
        break;
      }
      case 8:  // cut the input short: unterminated strings, comments, blocks
        text.resize(at);
        break;
      case 9:  // flip a byte
        if (!text.empty()) text[below(text.size())] ^= static_cast<char>(1 + below(255));
        break;
      case 10:  // a line of another input
        if (const auto& other = cases_[below(cases_.size())].input.text; !other.empty()) {
          const auto from = other.rfind('\n', below(other.size()));
          const auto begin = from == std::string::npos ? 0 : from + 1;
          text.insert(at, other.substr(begin, other.find('\n', begin) - begin + 1));
        }
        break;
    }
  }

  std::mt19937_64 random_;
  const std::vector<SeedCase>& cases_;
};

std::size_t env_number(const char* name, std::size_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::stoull(value) : fallback;
}

// Aborts the run when one input takes far longer than the time limit (a hang the
// per-input check would never get to see), saying which input it was.
class Watchdog {
 public:
  Watchdog() : thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void started(std::size_t input) {
    std::lock_guard lock(mutex_);
    input_ = input;
    since_ = Clock::now();
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::seconds(1));
      if (!stop_ && Clock::now() - since_ > 12 * kTimeLimit) {
        std::cerr << "fuzz: input " << input_ << " hangs (over " << (12 * kTimeLimit).count()
                  << " s); set MIG_FUZZ_DIR to keep it\n";
        std::_Exit(3);
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::size_t input_ = 0;
  Clock::time_point since_ = Clock::now();
  std::thread thread_;
};

// Every error must say where: a file, and a place inside it.
std::string unlocated_error(const mig::Diagnostics& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity != mig::Severity::Error) continue;
    if (!d.file) return "an error without a file: " + mig::render(d);
    if (d.span.begin > d.file->text().size() || d.span.end < d.span.begin)
      return "an error placed outside its file: " + mig::render(d);
  }
  return "";
}

// Runs one input; returns what is wrong with how it was handled, or "".
// `rejected` says whether the input had errors.
std::string run(const SeedCase& seed, const std::string& text, const fs::path& scratch,
                bool& rejected) {
  if (seed.sql) {
    const auto path = scratch / "0001_fuzz.sql";
    mig::test::write_text(path, text);
    const auto result = mig::lint_sql_files({path}, {});
    rejected = result.has_errors();
    for (const auto& f : result.findings)
      if (!f.file) return "a finding without a file: " + f.message;
    return unlocated_error(result.compilation.diagnostics);
  }
  auto sources = seed.history;
  sources.push_back({seed.input.path, text});
  const auto result = mig::lint_migration_sources(std::move(sources), {});
  rejected = result.has_errors();
  for (const auto& f : result.findings)
    if (!f.file) return "a finding without a file: " + f.message;
  if (const auto problem = unlocated_error(result.compilation.diagnostics); !problem.empty())
    return problem;
  if (!result.has_errors())
    for (const auto& m : result.compilation.plan().migrations) {
      (void)mig::render_script(m, mig::Direction::Up);
      (void)mig::render_script(m, mig::Direction::Down);
    }
  return "";
}

}  // namespace

TEST_CASE("hostile inputs: no crash, no hang, every error located", "[fuzz]") {
  const auto cases = seed_cases();
  REQUIRE(cases.size() > 100);
  const auto inputs = env_number("MIG_FUZZ_INPUTS", 3000);
  const auto seed = env_number("MIG_FUZZ_SEED", 1);
  const char* keep = std::getenv("MIG_FUZZ_DIR");
  const auto scratch = fs::temp_directory_path() / ("mig-fuzz-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  Mutator mutator(seed, cases);
  Watchdog watchdog;
  std::size_t rejected = 0;
  auto slowest = Clock::duration::zero();
  for (std::size_t i = 0; i < inputs; ++i) {
    const auto& seed_case = cases[mutator.below(cases.size())];
    const auto text = mutator.mutate(seed_case.input.text);
    if (keep)
      mig::test::write_text(fs::path(keep) / (seed_case.sql ? "current.sql" : "current.mig"), text);
    watchdog.started(i);
    const auto start = Clock::now();
    std::string problem;
    bool had_errors = false;
    try {
      problem = run(seed_case, text, scratch, had_errors);
    } catch (const std::exception& e) {
      problem = std::string("an exception escaped: ") + e.what();
    }
    const auto elapsed = Clock::now() - start;
    slowest = std::max(slowest, elapsed);
    if (elapsed > kTimeLimit) problem = "took longer than the time limit";
    if (!problem.empty()) {
      const auto saved =
          scratch / ("failing-" + std::to_string(i) + (seed_case.sql ? ".sql" : ".mig"));
      mig::test::write_text(saved, text);
      FAIL("input " << i << " (from " << seed_case.input.path << ", saved in " << saved.string()
                    << "): " << problem);
    }
    rejected += had_errors;
  }
  fs::remove_all(scratch);
  std::cout << "fuzz: " << inputs << " inputs (seed " << seed << "), " << rejected
            << " rejected with located errors, 0 crashes, 0 hangs, slowest "
            << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms\n";
  CHECK(rejected > 0);
}
