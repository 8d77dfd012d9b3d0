// Random `.mig` histories (tests/e2e/random_history.hpp), compiled and applied to a real
// PostgreSQL with rows inserted as they go. Each migration is applied, taken back and
// applied again; then the whole history is taken back one migration at a time. After
// every downgrade the schema must be exactly what it was before the upgrade (columns
// compared as a set per table). A downgrade may fail on the rows a table has only when
// the compiler said so in the migration's reversibility notes ("fails while ... has rows"),
// or, going down the whole history, after a lossy downgrade left other values behind;
// the tables are then emptied and the downgrade is run again.
//
// MIG_ROUNDTRIP_HISTORIES=N runs N histories from seed MIG_ROUNDTRIP_FIRST_SEED (1 unless
// set) instead of the suite's fixed seeds (bench/roundtrip/run.sh). A failure names its
// seed; MIG_ROUNDTRIP_FIRST_SEED=S MIG_ROUNDTRIP_HISTORIES=1 runs that history alone.

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>

#include "compiler/plan/compiler.hpp"
#include "runtime/runner.hpp"
#include "runtime/scratch_server.hpp"
#include "tests/e2e/random_history.hpp"
#include "tests/e2e/schema_dump.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kHistoryLength = 12;

struct Tally {
  int histories = 0;
  int exact_histories = 0;
  int migrations = 0;
  int downgrades = 0;
  int exact_downgrades = 0;
  int failed_as_noted = 0;     // the notes said the downgrade fails while the table has rows
  int failed_after_lossy = 0;  // going down the history, after a lossy downgrade
  int failed_unexpectedly = 0;
};

std::vector<std::uint64_t> seeds() {
  const char* count = std::getenv("MIG_ROUNDTRIP_HISTORIES");
  if (!count) return {1, 2, 3, 4, 5};
  const char* first = std::getenv("MIG_ROUNDTRIP_FIRST_SEED");
  const std::uint64_t start = first ? std::stoull(first) : 1;
  std::vector<std::uint64_t> out;
  for (int i = 0; i < std::stoi(count); ++i) out.push_back(start + i);
  return out;
}

// The lines of `a` that `b` lacks and those `b` has in excess, for a failure message.
std::string line_difference(const std::string& a, const std::string& b) {
  std::map<std::string, int> count;
  std::istringstream in_a(a), in_b(b);
  for (std::string line; std::getline(in_a, line);) ++count[line];
  for (std::string line; std::getline(in_b, line);) --count[line];
  std::string out;
  for (const auto& [line, n] : count)
    if (n != 0) out += fmt::format("{} {}\n", n > 0 ? "before:" : "after: ", line);
  return out;
}

bool noted_failing_with_rows(const mig::PlanMigration& m) {
  return std::any_of(
      m.reversibility_notes.begin(), m.reversibility_notes.end(),
      [](const std::string& note) { return note.find("fails while") != std::string::npos; });
}

void empty_tables(const std::string& url) {
  pqxx::connection c{url};
  pqxx::nontransaction q{c};
  std::string tables;
  for (const auto& row :
       q.exec("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
              "WHERE schemaname NOT IN ('mig', 'pg_catalog', 'information_schema')"))
    tables += (tables.empty() ? "" : ", ") + row[0].as<std::string>();
  if (!tables.empty()) q.exec0("TRUNCATE " + tables);
}

class HistoryRun {
 public:
  HistoryRun(mig::ScratchServer& server, std::uint64_t seed, Tally& tally)
      : seed_(seed), tally_(tally), history_(mig::test::random_history(seed, kHistoryLength)) {
    for (const auto& m : history_) sources_ += fmt::format("--- {}\n{}", m.file_name, m.source);
    dir_ = fs::temp_directory_path() / fmt::format("mig-random-{}-{}", seed, getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& m : history_) std::ofstream(dir_ / m.file_name) << m.source;
    url_ = server.create_database(fmt::format("random_{}", seed));
  }

  void run() {
    INFO(
        fmt::format("seed {} (rerun: MIG_ROUNDTRIP_FIRST_SEED={} MIG_ROUNDTRIP_HISTORIES=1 "
                    "build/tests/e2e_tests \"[random-roundtrip]\"); history:\n{}",
                    seed_, seed_, sources_));
    const auto compilation = mig::compile_directory(dir_);
    std::string errors;
    for (const auto& d : compilation.diagnostics) errors += mig::render(d);
    INFO(errors);
    CHECK_FALSE(mig::has_errors(compilation.diagnostics));
    if (mig::has_errors(compilation.diagnostics)) return;
    try {
      run(compilation.plan());
    } catch (const std::exception& e) {
      FAIL_CHECK(e.what());
    }
  }

 private:
  void run(const mig::Plan& plan) {
    ++tally_.histories;
    tally_.migrations += static_cast<int>(plan.migrations.size());
    const int unexact_before = inexact_;

    std::ostringstream log;
    mig::Runner runner(url_, {}, log);
    std::vector<std::string> before;
    for (std::size_t i = 0; i < plan.migrations.size(); ++i) {
      const auto& m = plan.migrations[i];
      INFO(fmt::format("migration {}, taken back right after it was applied",
                       mig::migration_stem(m)));
      before.push_back(mig::test::schema_dump(url_));
      runner.up(plan, m.version);
      const auto after = mig::test::schema_dump(url_);
      if (!step_down(runner, plan, m, false)) return;
      compare(before.back(), mig::test::schema_dump(url_));
      runner.up(plan, m.version);
      CHECK(mig::test::schema_dump(url_) == after);
      insert_rows(history_[i]);
    }

    const auto full = mig::test::schema_dump(url_);
    bool lossy_down = false;
    for (auto i = plan.migrations.size(); i-- > 0;) {
      const auto& m = plan.migrations[i];
      INFO(fmt::format("migration {}, going down the whole history", mig::migration_stem(m)));
      if (!step_down(runner, plan, m, lossy_down)) return;
      compare(before[i], mig::test::schema_dump(url_));
      lossy_down |= m.reversibility != mig::Reversibility::Reversible;
    }
    runner.up(plan);
    CHECK(mig::test::schema_dump(url_) == full);
    if (inexact_ == unexact_before && !failed_) ++tally_.exact_histories;
    fs::remove_all(dir_);
  }

  // Takes back the last applied migration `m`; false when it failed where it must not.
  bool step_down(mig::Runner& runner, const mig::Plan& plan, const mig::PlanMigration& m,
                 bool after_lossy) {
    ++tally_.downgrades;
    try {
      runner.down(plan, {1, std::nullopt});
      return true;
    } catch (const std::exception& e) {
      const bool noted = noted_failing_with_rows(m);
      if (!noted && !after_lossy) {
        ++tally_.failed_unexpectedly;
        failed_ = true;
        FAIL_CHECK(
            fmt::format("the downgrade failed and its notes did not say it would:\n{}", e.what()));
        return false;
      }
      ++(noted ? tally_.failed_as_noted : tally_.failed_after_lossy);
    }
    empty_tables(url_);
    runner.down(plan, {1, std::nullopt});
    return true;
  }

  void compare(const std::string& before, const std::string& after) {
    if (before == after) {
      ++tally_.exact_downgrades;
      return;
    }
    ++inexact_;
    FAIL_CHECK("the downgrade did not restore the schema:\n" + line_difference(before, after));
  }

  void insert_rows(const mig::test::RandomMigration& m) {
    pqxx::connection c{url_};
    pqxx::nontransaction q{c};
    for (const auto& sql : m.inserts) {
      INFO(sql);
      CHECK_NOTHROW(q.exec0(sql));
    }
  }

  std::uint64_t seed_;
  Tally& tally_;
  std::vector<mig::test::RandomMigration> history_;
  std::string sources_;
  fs::path dir_;
  std::string url_;
  int inexact_ = 0;
  bool failed_ = false;
};

}  // namespace

TEST_CASE("random histories go down to the exact schema they came from",
          "[e2e][random-roundtrip]") {
  mig::ScratchServer server;
  Tally tally;
  for (const auto seed : seeds()) HistoryRun(server, seed, tally).run();
  std::cout << fmt::format(
      "random round trips: {} histories ({} exact), {} migrations, {} downgrades ({} exact); "
      "failed on rows: {} as noted, {} after a lossy downgrade, {} unexpectedly\n",
      tally.histories, tally.exact_histories, tally.migrations, tally.downgrades,
      tally.exact_downgrades, tally.failed_as_noted, tally.failed_after_lossy,
      tally.failed_unexpectedly);
  CHECK(tally.histories == static_cast<int>(seeds().size()));
}
