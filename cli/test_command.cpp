#include "cli/test_command.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/plan_source.hpp"
#include "cli/whole_number.hpp"
#include "runtime/rollback_test.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/scratch_server.hpp"
#include "runtime/text.hpp"

namespace mig::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct TestArguments {
  PlanSource plan_source{"migrations", ""};
  std::string database_url;
  int from_version = 0;
  std::string seed_sql;
  int seed_at = -1;  // -1: just before the last migration
  std::string format = "text";
};

void print_differences(std::ostream& out, const std::string& heading,
                       const std::vector<SnapshotDifference>& differences) {
  if (differences.empty()) return;
  out << "  " << heading << "\n";
  for (const auto& d : differences) {
    out << fmt::format("    {}\n", d.object);
    out << fmt::format("      expected: {}\n",
                       indented(d.expected.value_or("(absent)"), "                "));
    out << fmt::format("      found:    {}\n",
                       indented(d.actual.value_or("(absent)"), "                "));
  }
}

void print_text(std::ostream& out, const RollbackReport& report) {
  std::map<RollbackOutcome, int> counts;
  for (const auto& c : report.checks) {
    ++counts[c.outcome];
    switch (c.outcome) {
      case RollbackOutcome::Passed:
        out << fmt::format("ok           {}\n", c.name);
        break;
      case RollbackOutcome::Irreversible:
        out << fmt::format("irreversible {}: applied once, it has no downgrade\n", c.name);
        break;
      case RollbackOutcome::Differs:
        out << fmt::format("DIFFERS      {}\n", c.name);
        break;
      case RollbackOutcome::Failed:
        out << fmt::format("FAILED       {} at {}\n", c.name, c.failed_phase);
        break;
    }
    print_differences(out, "after down, against the schema before up:", c.after_down);
    print_differences(out,
                      "after up again, against the schema the first up left:", c.after_up_again);
    if (!c.error.empty()) out << "  " << indented(c.error, "  ") << "\n";
  }
  for (const auto& name : report.untested) out << fmt::format("not tested   {}\n", name);
  if (!report.seed_note.empty()) out << "seed: " << report.seed_note << "\n";
  out << fmt::format("{} passed, {} differ, {} failed, {} irreversible, {} not tested\n",
                     counts[RollbackOutcome::Passed], counts[RollbackOutcome::Differs],
                     counts[RollbackOutcome::Failed], counts[RollbackOutcome::Irreversible],
                     report.untested.size());
}

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json() : nlohmann::json(text);
}

nlohmann::json differences_json(const std::vector<SnapshotDifference>& differences) {
  auto list = nlohmann::json::array();
  for (const auto& d : differences)
    list.push_back({{"object", d.object},
                    {"expected", d.expected ? nlohmann::json(*d.expected) : nlohmann::json()},
                    {"actual", d.actual ? nlohmann::json(*d.actual) : nlohmann::json()}});
  return list;
}

void print_json(std::ostream& out, const RollbackReport& report, const TestArguments& args) {
  auto migrations = nlohmann::json::array();
  std::map<std::string, int> summary{
      {"passed", 0}, {"differs", 0}, {"failed", 0}, {"irreversible", 0}};
  for (const auto& c : report.checks) {
    ++summary[std::string(to_string(c.outcome))];
    migrations.push_back({{"version", c.version},
                          {"name", c.name},
                          {"outcome", to_string(c.outcome)},
                          {"after_down", differences_json(c.after_down)},
                          {"after_up_again", differences_json(c.after_up_again)},
                          {"failed_phase", text_or_null(c.failed_phase)},
                          {"error", text_or_null(c.error)}});
  }
  nlohmann::json seed;
  if (!args.seed_sql.empty())
    seed = {{"file", args.seed_sql}, {"failed", report.seed_failed}, {"note", report.seed_note}};
  nlohmann::json result = {{"version", 1},
                           {"passed", report.passed()},
                           {"migrations", migrations},
                           {"untested", report.untested},
                           {"seed", seed},
                           {"summary", summary}};
  out << result.dump(2) << "\n";
}

int run_test(const TestArguments& args) {
  PlanProblem problem{};
  const auto plan = load_plan(args.plan_source, std::cerr, problem);
  if (!plan) return problem == PlanProblem::Unreadable ? kExitUsage : kExitFailed;
  RollbackTestOptions options;
  options.from_version = args.from_version;
  if (!args.seed_sql.empty()) {
    options.seed_sql = args.seed_sql;
    const auto& migrations = plan->migrations;
    options.seed_at = args.seed_at >= 0       ? args.seed_at
                      : migrations.size() > 1 ? migrations[migrations.size() - 2].version
                                              : 0;
  }
  std::ostringstream runner_log;  // the runner's progress; its failures are in the report
  std::unique_ptr<ScratchServer> server;
  std::string url = args.database_url;
  if (url.empty()) {
    server = std::make_unique<ScratchServer>();
    url = server->create_database("mig_test");
  }
  const auto report = test_rollbacks(url, *plan, options, RunOptions{}, runner_log);
  if (args.format == "json")
    print_json(std::cout, report, args);
  else
    print_text(std::cout, report);
  return report.passed() ? 0 : kExitFailed;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TestArguments>();
  auto* test = app.add_subcommand(
      "test",
      "apply each migration, revert it and apply it again on a scratch PostgreSQL, comparing "
      "the catalog at every version; exits 0 when all pass, 1 on a difference or a failure");
  test->add_option("dir", args->plan_source.migrations_dir,
                   "migrations directory, compiled in memory")
      ->capture_default_str();
  test->add_option("--plan", args->plan_source.plan_dir,
                   "compiled plan directory (from `mig compile`); used instead of DIR");
  test->add_option("--db", args->database_url,
                   "a database without mig history to test on instead of a scratch server; "
                   "$DATABASE_URL is not read, so the test never runs where a deploy would");
  test->add_option("--from", args->from_version,
                   "test from this version on; the migrations before it are applied once")
      ->check(at_least(0));
  auto* seed_sql = test->add_option(
      "--seed-sql", args->seed_sql,
      "SQL run once, in one transaction, after migration --seed-at, so the migrations after it "
      "are tested on tables with rows");
  test->add_option("--seed-at", args->seed_at,
                   "the version after which --seed-sql runs (default: the one before the last "
                   "migration; 0: on the empty database)")
      ->needs(seed_sql)
      ->check(at_least(0));
  test->add_option("--format", args->format, "text for people, json for pipelines")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  test->footer("Example: mig test migrations --seed-sql tests/seed.sql --format json");
  test->callback([&exit_code, args] {
    try {
      exit_code = run_test(*args);
    } catch (const std::exception& e) {
      std::cerr << fmt::format("mig test: error: {}\n", e.what());
      exit_code = kExitUsage;
    }
  });
}

}  // namespace mig::cli
