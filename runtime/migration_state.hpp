#pragma once

// Where each migration of a plan stands in a database, read from the latest history row of
// its version, and what is wrong between the plan and the history.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/history_table.hpp"

namespace mig {

enum class MigrationState {
  Pending,  // never applied, or reverted
  Applied,
  PartiallyApplied,   // an `up` stopped after finishing some steps; `up` resumes it
  PartiallyReverted,  // a `down` stopped after finishing some steps; `down` resumes it
  Failed,             // the last `up` failed before finishing any step; nothing is applied
};

std::string_view to_string(MigrationState);

struct MigrationStatus {
  const PlanMigration* migration = nullptr;
  MigrationState state = MigrationState::Pending;
  std::optional<HistoryRow> latest;  // the attempt the state comes from
};

// One entry per plan migration, in plan order.
std::vector<MigrationStatus> migration_statuses(const Plan&,
                                                const std::map<int, HistoryRow>& latest);

// Whether the database holds some or all of a migration's changes.
bool is_in_database(MigrationState);

// The version of the newest migration in the database; 0: none.
int database_version(const std::vector<MigrationStatus>&);

// Migrations not in the database numbered below one that is: `up` applies in number order,
// so it refuses to apply them. One sentence each, naming both files and the fix.
std::vector<std::string> pending_below_applied(const std::vector<MigrationStatus>&);

// What `up` runs, in order: each migration up to `to_version` that is not in the database,
// or partially applied (resumed where it stopped). Throws RuntimeError, nothing run, when
// `up` cannot go on: a migration partially reverted, or pending below an applied one.
struct UpTarget {
  const MigrationStatus* status = nullptr;
  AttemptProgress resume;  // where a partially applied migration stopped; none: from the start
};
std::vector<UpTarget> up_targets(const std::vector<MigrationStatus>&,
                                 std::optional<int> to_version);

// Changed applied migrations (checksum differs) and applied versions the plan lacks; each
// entry is one complete sentence for a person. Empty when the plan matches the history.
std::vector<std::string> history_mismatches(const Plan&, const std::map<int, HistoryRow>& latest);

}  // namespace mig
