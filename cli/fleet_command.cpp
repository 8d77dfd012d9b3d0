#include "cli/fleet_command.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
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
  std::vector<std::string> lines = line.listed_targets;
  if (!line.targets_file.empty()) {
    lines = read_target_lines(line.targets_file);
  } else if (!line.targets_query.empty()) {
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
  if (command == FleetCommand::Drift) {
    if (any([](const TargetResult& r) { return r.status == "drift"; })) return 1;
    return any([](const TargetResult& r) { return r.failed; }) ? 2 : 0;
  }
  if (any([](const TargetResult& r) { return r.failed || r.status == "skipped"; })) return 1;
  if (command == FleetCommand::Status &&
      any([](const TargetResult& r) { return r.status == "pending"; }))
    return 3;
  return 0;
}

// A key of [fleet] and its value, or an error naming where they are in the file.
class ConfigKey {
 public:
  ConfigKey(const std::filesystem::path& file, const toml::key& key, const toml::node& value)
      : file_(file), key_(key), value_(value) {}

  std::invalid_argument error(const std::string& message, bool at_value = true) const {
    const auto& at = at_value ? value_.source() : key_.source();
    return std::invalid_argument(
        fmt::format("{}:{}:{}: {}", file_.string(), at.begin.line, at.begin.column, message));
  }
  std::string text() const {
    const auto value = value_.value<std::string>();
    if (!value) throw error(fmt::format("`{}` must be a string", key_.str()));
    return *value;
  }
  bool flag() const {
    const auto value = value_.value<bool>();
    if (!value) throw error(fmt::format("`{}` must be true or false", key_.str()));
    return *value;
  }
  int number(int minimum) const {
    const auto value = value_.value<int64_t>();
    if (!value || *value < minimum || *value > 1'000'000)
      throw error(fmt::format("`{}` must be a whole number, {} or more", key_.str(), minimum));
    return static_cast<int>(*value);
  }
  // `targets`: an array of strings (each a target), or a string (a targets file, relative to
  // the directory of the file).
  void targets(FleetCommandLine& line) const {
    if (const auto file = value_.value<std::string>()) {
      line.targets_file = (file_.parent_path() / *file).string();
      return;
    }
    const auto* array = value_.as_array();
    if (!array) throw error("`targets` must be a list of targets, or the name of a targets file");
    std::set<std::string> seen;
    for (const auto& element : *array) {
      const auto target = element.value<std::string>();
      const ConfigKey at(file_, key_, element);
      if (!target) throw at.error("each of `targets` must be a string");
      if (!seen.insert(*target).second)
        throw at.error(fmt::format("`{}` is listed twice", *target));
      line.listed_targets.push_back(*target);
    }
  }

 private:
  const std::filesystem::path& file_;
  const toml::key& key_;
  const toml::node& value_;
};

}  // namespace

void read_fleet_config(FleetCommandLine& line, const CLI::App& command) {
  namespace fs = std::filesystem;
  const fs::path file = !line.config.empty()     ? fs::path(line.config)
                        : fs::exists("mig.toml") ? fs::path("mig.toml")
                                                 : fs::path();
  if (file.empty()) return;
  if (!fs::is_regular_file(file))
    throw std::invalid_argument(fmt::format("cannot read `{}`", file.string()));
  toml::table config;
  try {
    config = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                            e.source().begin.column, e.description()));
  }
  const auto* fleet = config["fleet"].as_table();
  if (!fleet) return;
  const auto given = [&](const char* option) {
    return command.get_option_no_throw(option) != nullptr && command.count(option) > 0;
  };
  const bool targets_given = given("--targets") || given("--targets-query");
  bool targets_read = false;
  for (const auto& [key, value] : *fleet) {
    const ConfigKey entry(file, key, value);
    const auto name = key.str();
    if (name == "targets" || name == "targets_query") {
      if (targets_read)
        throw entry.error("give the targets one way: `targets` or `targets_query`", false);
      targets_read = true;
      if (targets_given) continue;
      if (name == "targets")
        entry.targets(line);
      else
        line.targets_query = entry.text();
    } else if (name == "catalog") {
      if (!given("--catalog")) line.catalog_url = entry.text();
    } else if (name == "tenant_schemas") {
      if (!given("--tenant-schemas")) line.tenant_schemas = entry.flag();
    } else if (name == "jobs") {
      if (!given("--jobs")) line.jobs = entry.number(1);
    } else if (name == "jobs_per_host") {
      if (!given("--jobs-per-host")) line.jobs_per_host = entry.number(0);
    } else if (name == "canary") {
      const auto canary = entry.number(1);
      if (command.get_option_no_throw("--canary") && !given("--canary")) line.canary = canary;
    } else if (name == "continue_on_error") {
      const auto go_on = entry.flag();
      if (command.get_option_no_throw("--continue-on-error") && !given("--continue-on-error"))
        line.continue_on_error = go_on;
    } else {
      throw entry.error(fmt::format("unknown key `{}` in [fleet]; it holds `targets`, "
                                    "`targets_query`, `catalog`, `tenant_schemas`, `jobs`, "
                                    "`jobs_per_host`, `canary` and `continue_on_error`",
                                    name),
                        false);
    }
  }
  // --db alone names the one database to run on; with tenant schemas, the database of them.
  if (given("--db") && !line.tenant_schemas && !targets_given) {
    line.listed_targets.clear();
    line.targets_file.clear();
    line.targets_query.clear();
  }
}

void add_fleet_options(CLI::App& command, FleetCommandLine& line, FleetCommand kind) {
  command.add_option("--config", line.config,
                     "project file whose [fleet] table gives the targets and these options "
                     "(default: ./mig.toml if present); the command line wins");
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
