#include "cli/fleet_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "cli/database_url.hpp"
#include "cli/whole_number.hpp"
#include "runtime/fleet_runner.hpp"
#include "runtime/fleet_targets.hpp"
#include "runtime/runtime_error.hpp"

namespace mig::cli {

namespace {

std::vector<FleetTarget> fleet_targets(const FleetCommandLine& line,
                                       const std::string& database_url) {
  if (!line.targets_file.empty() && !line.targets_query.empty())
    throw std::invalid_argument("give the targets one way: --targets FILE or --targets-query SQL");
  std::vector<std::string> lines;
  if (!line.targets_file.empty()) {
    lines = read_target_lines(line.targets_file);
  } else {
    const auto catalog =
        line.catalog_url.empty() ? database_url_or_environment(database_url) : line.catalog_url;
    lines = query_target_lines(catalog, line.targets_query);
  }
  auto targets = line.tenant_schemas
                     ? tenant_schema_targets(database_url_or_environment(database_url), lines)
                     : database_targets(lines);
  if (!line.only_failed.empty()) {
    const auto unfinished = unfinished_targets(line.only_failed);
    for (const auto& name : unfinished)
      if (std::none_of(targets.begin(), targets.end(),
                       [&](const FleetTarget& t) { return t.name == name; }))
        throw std::invalid_argument(
            fmt::format("--only-failed: {} names target `{}`, which is not among the targets",
                        line.only_failed, name));
    std::erase_if(targets, [&](const FleetTarget& t) { return !unfinished.count(t.name); });
  }
  return targets;
}

int exit_code(FleetCommand command, const std::vector<TargetResult>& results) {
  const auto any = [&](auto predicate) {
    return std::any_of(results.begin(), results.end(), predicate);
  };
  if (any([](const TargetResult& r) { return r.failed || r.status == "skipped"; })) return 1;
  if (command == FleetCommand::Status &&
      any([](const TargetResult& r) { return r.status == "pending"; }))
    return 3;
  return 0;
}

}  // namespace

void add_fleet_options(CLI::App& command, FleetCommandLine& line, FleetCommand kind) {
  command.add_option("--targets", line.targets_file,
                     "run against many databases: FILE lists one database URL a line (# starts a "
                     "comment); with --tenant-schemas, one schema a line");
  command.add_option("--targets-query", line.targets_query,
                     "run against the targets this SQL returns in its first column (database URLs, "
                     "or schema names with --tenant-schemas), asked of --catalog");
  command.add_option(
      "--catalog", line.catalog_url,
      "database URL that --targets-query runs in (default: --db, then $DATABASE_URL)");
  command.add_flag("--tenant-schemas", line.tenant_schemas,
                   "schema-per-tenant: the targets are schemas of the one database --db, each with "
                   "its own history (SCHEMA.mig_history); the plan goes into each schema");
  command.add_option("--jobs", line.jobs, "targets at a time")
      ->capture_default_str()
      ->check(at_least(1));
  command
      .add_option("--jobs-per-host", line.jobs_per_host,
                  "targets at a time on one server (host and port; 0: only --jobs bounds it)")
      ->capture_default_str()
      ->check(at_least(0));
  if (kind != FleetCommand::Up) return;
  command
      .add_option("--canary", line.canary,
                  "run the first N targets first, as a wave of their own; if one of them fails, "
                  "no other target starts")
      ->check(at_least(1));
  command.add_flag("--continue-on-error", line.continue_on_error,
                   "a failed target stops no other (default: no new target starts after one "
                   "failed)");
  command.add_option("--only-failed", line.only_failed,
                     "run only the targets that REPORT (from an earlier --format json) says failed "
                     "or did not run");
}

int run_fleet_command(FleetCommand command, const FleetCommandLine& line,
                      const std::string& database_url, const Plan& plan,
                      const RunOptions& run_options, std::optional<int> to_version,
                      ReportFormat format) {
  std::vector<FleetTarget> targets;
  try {
    targets = fleet_targets(line, database_url);
  } catch (const RuntimeError& e) {
    throw std::invalid_argument(e.what());  // no target was touched: a usage problem
  }
  FleetRequest request;
  request.command = command;
  request.plan = &plan;
  request.to_version = to_version;
  request.run_options = run_options;
  request.fleet = {line.jobs, line.jobs_per_host, line.canary, line.continue_on_error};
  FleetProgress progress(std::cerr, isatty(STDERR_FILENO), targets.size());
  const auto results = run_fleet(targets, request, progress);
  print_fleet_report(std::cout, command, results, format);
  return exit_code(command, results);
}

}  // namespace mig::cli
