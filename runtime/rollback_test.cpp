#include "runtime/rollback_test.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

bool in_plan(const Plan& plan, int version) {
  return std::any_of(plan.migrations.begin(), plan.migrations.end(),
                     [&](const PlanMigration& m) { return m.version == version; });
}

std::string read_seed(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw RuntimeError(fmt::format("cannot read the seed file `{}`", file.string()));
  return text.str();
}

void refuse_history(pqxx::connection& connection) {
  pqxx::work tx{connection};
  if (tx.exec1("SELECT to_regclass('mig.history') IS NULL")[0].as<bool>()) return;
  if (tx.exec1("SELECT EXISTS (SELECT 1 FROM mig.history)")[0].as<bool>())
    throw RuntimeError(
        "the database has a mig history; `mig test` needs a database no migration was applied "
        "to (without --db it starts its own)");
}

class RollbackTester {
 public:
  RollbackTester(const std::string& url, const Plan& plan, const RunOptions& run_options,
                 std::ostream& log)
      : plan_(plan), connection_(connect_to_database(url)), runner_(url, run_options, log) {
    refuse_history(*connection_);
  }

  pqxx::connection& connection() { return *connection_; }

  // Up to `m` once, untested; false when it failed (`check` says how).
  bool apply(const PlanMigration& m, RollbackCheck& check) {
    return run(check, "up", [&] { runner_.up(plan_, m.version); });
  }

  RollbackCheck test(const PlanMigration& m, int previous_version) {
    RollbackCheck check;
    check.version = m.version;
    check.name = migration_stem(m);
    const auto before = catalog_snapshot(*connection_);
    if (!apply(m, check)) return check;
    if (m.reversibility == Reversibility::Irreversible) {
      check.outcome = RollbackOutcome::Irreversible;
      return check;
    }
    const auto after = catalog_snapshot(*connection_);
    if (!run(check, "down", [&] { runner_.down(plan_, {std::nullopt, previous_version}); }))
      return check;
    check.after_down = compare_snapshots(before, catalog_snapshot(*connection_));
    if (!run(check, "up again", [&] { runner_.up(plan_, m.version); })) return check;
    check.after_up_again = compare_snapshots(after, catalog_snapshot(*connection_));
    if (!check.after_down.empty() || !check.after_up_again.empty())
      check.outcome = RollbackOutcome::Differs;
    return check;
  }

 private:
  static bool run(RollbackCheck& check, const char* phase, const std::function<void()>& action) {
    try {
      action();
      return true;
    } catch (const RuntimeError& e) {
      check.outcome = RollbackOutcome::Failed;
      check.failed_phase = phase;
      check.error = e.what();
      return false;
    }
  }

  const Plan& plan_;
  std::unique_ptr<pqxx::connection> connection_;
  Runner runner_;
};

}  // namespace

bool RollbackReport::passed() const {
  return !seed_failed && untested.empty() &&
         std::none_of(checks.begin(), checks.end(), [](const RollbackCheck& c) {
           return c.outcome == RollbackOutcome::Differs || c.outcome == RollbackOutcome::Failed;
         });
}

RollbackReport test_rollbacks(const std::string& url, const Plan& plan,
                              const RollbackTestOptions& options, const RunOptions& run_options,
                              std::ostream& log) {
  if (options.from_version != 0 && !in_plan(plan, options.from_version))
    throw RuntimeError(fmt::format("--from {}: the plan has no migration {}", options.from_version,
                                   options.from_version));
  if (options.seed_sql && options.seed_at != 0 && !in_plan(plan, options.seed_at))
    throw RuntimeError(
        fmt::format("--seed-at {}: the plan has no migration {} (0: before the first)",
                    options.seed_at, options.seed_at));
  const auto seed_text = options.seed_sql ? read_seed(*options.seed_sql) : std::string();
  RollbackTester tester(url, plan, run_options, log);
  RollbackReport report;
  const auto seed = [&](int at) {
    if (!options.seed_sql || options.seed_at != at) return;
    const auto where =
        at == 0 ? std::string("on the empty database") : fmt::format("after migration {}", at);
    try {
      pqxx::work tx{tester.connection()};
      tx.exec(seed_text);
      tx.commit();
      report.seed_note = fmt::format("{} ran {}", options.seed_sql->string(), where);
    } catch (const pqxx::failure& e) {
      report.seed_failed = true;
      report.seed_note = fmt::format("{} failed {}: {}", options.seed_sql->string(), where,
                                     describe_database_error(e));
    }
  };
  seed(0);
  int previous = 0;
  bool stopped = report.seed_failed;
  for (const auto& m : plan.migrations) {
    if (stopped) {
      report.untested.push_back(migration_stem(m));
      continue;
    }
    if (m.version < options.from_version) {
      RollbackCheck check;
      check.version = m.version;
      check.name = migration_stem(m);
      if (!tester.apply(m, check)) report.checks.push_back(std::move(check));
    } else {
      report.checks.push_back(tester.test(m, previous));
    }
    stopped = !report.checks.empty() && report.checks.back().outcome == RollbackOutcome::Failed;
    if (!stopped) seed(m.version);
    stopped = stopped || report.seed_failed;
    previous = m.version;
  }
  return report;
}

std::string_view to_string(RollbackOutcome outcome) {
  switch (outcome) {
    case RollbackOutcome::Passed:
      return "passed";
    case RollbackOutcome::Differs:
      return "differs";
    case RollbackOutcome::Failed:
      return "failed";
    case RollbackOutcome::Irreversible:
      return "irreversible";
  }
  return "";
}

}  // namespace mig
