#pragma once

// What a fleet command came to, per target: the final table for people, `--format json`
// for pipelines, and reading a previous JSON report back for `--only-failed`.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/fleet_targets.hpp"
#include "runtime/status_report.hpp"

namespace mig {

enum class FleetCommand { Up, Status, Verify, Drift };

std::string_view to_string(FleetCommand);

struct TargetResult {
  FleetTarget target;
  // up: done, failed, skipped (not run: the fleet stopped); status: at head, pending,
  // needs attention, failed (not read); verify: ok, mismatch, failed; drift: ok, drift,
  // failed (not compared)
  std::string status = "skipped";
  bool failed = false;                   // counts against the fleet: exit code, --only-failed
  std::optional<int> version_before;     // up only
  std::optional<int> version;            // after the command; unknown when it could not be read
  std::string failed_migration;          // the migration that failed or stopped part way
  std::string error;                     // the whole story, as `mig` on that one target says it
  std::vector<std::string> differences;  // drift: one line each, as `mig drift` says them
  int wave = 1;
  // Since the fleet started, in ms; -1 when the target did not run.
  long long started_ms = -1;
  long long finished_ms = -1;
};

void print_fleet_report(std::ostream&, FleetCommand, const std::vector<TargetResult>&,
                        ReportFormat);

// The names of the targets a previous `--format json` report of `mig up` says failed or did
// not run. Throws RuntimeError naming the file when it is not such a report.
std::set<std::string> unfinished_targets(const std::filesystem::path& report);

}  // namespace mig
