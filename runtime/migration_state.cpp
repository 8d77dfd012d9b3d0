#include "runtime/migration_state.hpp"

#include <fmt/format.h>

#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

MigrationState state_of(const HistoryRow& row) {
  // A step outside a transaction whose statement was sent may have run to its end.
  const auto& p = row.progress;
  const bool made_progress =
      p.steps_done > 0 || p.backfill_position.has_value() || p.step_started.has_value();
  if (row.direction == Direction::Up) {
    if (row.status == AttemptStatus::Done) return MigrationState::Applied;
    return made_progress ? MigrationState::PartiallyApplied : MigrationState::Failed;
  }
  if (row.status == AttemptStatus::Done) return MigrationState::Pending;
  return made_progress ? MigrationState::PartiallyReverted : MigrationState::Applied;
}

}  // namespace

std::string_view to_string(MigrationState state) {
  switch (state) {
    case MigrationState::Pending:
      return "pending";
    case MigrationState::Applied:
      return "applied";
    case MigrationState::PartiallyApplied:
      return "partially applied";
    case MigrationState::PartiallyReverted:
      return "partially reverted";
    case MigrationState::Failed:
      return "failed";
  }
  return "?";
}

bool is_in_database(MigrationState state) {
  return state == MigrationState::Applied || state == MigrationState::PartiallyApplied ||
         state == MigrationState::PartiallyReverted;
}

std::vector<MigrationStatus> migration_statuses(const Plan& plan,
                                                const std::map<int, HistoryRow>& latest) {
  std::vector<MigrationStatus> statuses;
  for (const auto& migration : plan.migrations) {
    MigrationStatus status{&migration, MigrationState::Pending, std::nullopt};
    if (const auto found = latest.find(migration.version); found != latest.end()) {
      status.latest = found->second;
      status.state = state_of(found->second);
    }
    statuses.push_back(std::move(status));
  }
  return statuses;
}

int database_version(const std::vector<MigrationStatus>& statuses) {
  int version = 0;
  for (const auto& s : statuses)
    if (is_in_database(s.state)) version = s.migration->version;
  return version;
}

std::vector<std::string> pending_below_applied(const std::vector<MigrationStatus>& statuses) {
  const MigrationStatus* highest = nullptr;
  for (const auto& s : statuses)
    if (is_in_database(s.state)) highest = &s;
  std::vector<std::string> sentences;
  if (!highest) return sentences;
  for (const auto& s : statuses) {
    if (&s == highest) break;
    if (is_in_database(s.state)) continue;
    const auto stem = migration_stem(*s.migration);
    sentences.push_back(fmt::format(
        "{0}.mig is not applied but is numbered below {1}.mig, which is: migrations apply in "
        "number order, so {0} would never run (two branches each added the next migration); "
        "give it a number after the last one with `mig renumber --last {0}.mig` in the "
        "migrations directory, then compile again",
        stem, migration_stem(*highest->migration)));
  }
  return sentences;
}

std::vector<UpTarget> up_targets(const std::vector<MigrationStatus>& statuses,
                                 std::optional<int> to_version) {
  for (const auto& s : statuses)
    if (s.state == MigrationState::PartiallyReverted)
      throw RuntimeError(fmt::format(
          "{} is partially reverted ({} done); finish reverting it with `mig down --to {}` "
          "before applying migrations, or repair the database by hand and record that with "
          "`mig resolve {} --applied` or `--rolled-back`",
          migration_stem(*s.migration), steps_progress(*s.latest), s.migration->version - 1,
          s.migration->version));
  if (const auto below = pending_below_applied(statuses); !below.empty()) {
    std::string message;
    for (const auto& sentence : below) message += (message.empty() ? "" : "\n") + sentence;
    throw RuntimeError(message);
  }
  std::vector<UpTarget> targets;
  for (const auto& s : statuses) {
    if (is_in_database(s.state) && s.state != MigrationState::PartiallyApplied) continue;
    if (to_version && s.migration->version > *to_version) continue;
    UpTarget target{&s, {}};
    if (s.state == MigrationState::PartiallyApplied) target.resume = s.latest->progress;
    targets.push_back(std::move(target));
  }
  return targets;
}

std::vector<std::string> history_mismatches(const Plan& plan,
                                            const std::map<int, HistoryRow>& latest) {
  std::vector<std::string> mismatches;
  for (const auto& [version, row] : latest) {
    if (!is_in_database(state_of(row))) continue;
    const PlanMigration* migration = nullptr;
    for (const auto& m : plan.migrations)
      if (m.version == version) migration = &m;
    const auto stem = fmt::format("{:04}_{}", row.version, row.name);
    if (!migration) {
      mismatches.push_back(fmt::format(
          "{} is {} in the database but missing from the plan; restore its migration file", stem,
          to_string(state_of(row))));
    } else if (migration->source_checksum != row.checksum) {
      mismatches.push_back(fmt::format(
          "{} was changed after it was applied: the database recorded checksum {}, the plan "
          "has {} (file {}); never edit an applied migration, write a new one instead",
          migration_stem(*migration), row.checksum, migration->source_checksum,
          migration_stem(*migration) + ".mig"));
    }
  }
  return mismatches;
}

}  // namespace mig
