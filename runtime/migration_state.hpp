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

// Changed applied migrations (checksum differs) and applied versions the plan lacks; each
// entry is one complete sentence for a person. Empty when the plan matches the history.
std::vector<std::string> history_mismatches(const Plan&, const std::map<int, HistoryRow>& latest);

}  // namespace mig
