#pragma once

// What `mig status` and `mig history` print, as text for people or JSON for pipelines.

#include <iosfwd>
#include <string>
#include <vector>

#include "runtime/history_table.hpp"
#include "runtime/migration_state.hpp"

namespace mig {

enum class ReportFormat { Text, Json };

struct StatusReport {
  std::vector<MigrationStatus> migrations;  // in plan order
  std::vector<std::string> mismatches;      // history_mismatches, pending_below_applied
  // Who holds the migration lock (describe_migration_lock_holders); empty when nobody does.
  // A `running` attempt is then live, not interrupted.
  std::string runner;
};

// Whether a pipeline may go on; `mig status` exits with it.
enum class Readiness {
  AtHead = 0,          // every migration of the plan applied, the history matches the plan
  NeedsAttention = 1,  // a changed or missing migration, one that stopped part way or failed,
                       // or one pending below an applied one
  Pending = 3,         // nothing wrong; `mig up` has migrations to apply
};

Readiness readiness(const StatusReport&);

void print_status(std::ostream&, const StatusReport&, ReportFormat);
void print_history(std::ostream&, const std::vector<HistoryRow>&, ReportFormat);

}  // namespace mig
