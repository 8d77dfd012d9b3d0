#pragma once

// The fleet options of `mig up`, `status`, `verify` and `drift`: where the targets come
// from, how many run at once, waves and failures, on the command line or in the [fleet]
// table of mig.toml; and running the command over them.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/fleet_report.hpp"
#include "runtime/runner.hpp"

namespace mig::cli {

struct FleetCommandLine {
  std::string config;                       // mig.toml, or the --config file
  std::vector<std::string> listed_targets;  // mig.toml's `targets = [...]`
  std::string targets_file;
  std::string targets_query;
  std::string catalog_url;
  bool tenant_schemas = false;
  int jobs = 4;
  int jobs_per_host = 0;
  int canary = 0;                  // up
  bool continue_on_error = false;  // up
  std::string only_failed;         // up
  // A fleet command: targets listed, or from a file or a query, rather than the one --db.
  bool given() const {
    return !listed_targets.empty() || !targets_file.empty() || !targets_query.empty();
  }
};

void add_fleet_options(CLI::App&, FleetCommandLine&, FleetCommand);

// Fills in what `command`'s command line leaves unsaid from the [fleet] table of --config,
// else of ./mig.toml if there is one. Targets there are not used when the command line gives
// --targets or --targets-query, nor --db without --tenant-schemas (that one database).
// Throws std::invalid_argument naming file:line:col of a bad key or value.
void read_fleet_config(FleetCommandLine&, const CLI::App& command);

// Runs the command over the targets, shows the progress on stderr and writes the report to
// stdout; returns the exit code: up and verify 1 when a target failed or did not run;
// status 1 when a target needs attention or could not be read, else 3 when one has
// migrations pending, else 0; drift 1 when a target drifted, else 2 when one could not be
// compared, else 0. `database_url` is --db (schema-per-tenant: the database; the
// catalog without --catalog), empty for $DATABASE_URL.
int run_fleet_command(FleetCommand, const FleetCommandLine&, const std::string& database_url,
                      const Plan&, const RunOptions&, std::optional<int> to_version, ReportFormat);

}  // namespace mig::cli
