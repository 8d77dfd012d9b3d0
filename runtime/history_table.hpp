#pragma once

// The history table `mig.history`: one row per attempt to apply or revert a migration,
// never a single "current version" row. A version's state is read from its latest row.
// A schema-per-tenant target keeps its own in its schema: `<tenant>.mig_history`.

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

// Where the history table is.
struct HistoryTable {
  std::string schema = "mig";
  std::string table = "history";
  static HistoryTable in_tenant_schema(const std::string& schema);
  std::string sql_name() const;  // "mig"."history"
  std::string display() const;   // mig.history
};

enum class AttemptStatus { Running, Done, Failed };

// How far an attempt got; a resumed attempt starts from where the interrupted one stopped.
struct AttemptProgress {
  int steps_done = 0;
  // Keys of the last finished batch of the backfill step being run, as a JSON array.
  std::optional<std::string> backfill_position;
  // The step (1-based) outside a transaction whose statement was sent and not finished:
  // it may have run to its end on the server after the runner stopped.
  std::optional<int> step_started;
};

struct HistoryRow {
  long long id = 0;
  int version = 0;
  std::string name;
  Direction direction = Direction::Up;
  std::string checksum;  // the migration's source checksum when it ran
  AttemptStatus status = AttemptStatus::Running;
  AttemptProgress progress;
  int steps_total = 0;
  std::optional<std::string> note;  // why an operator recorded the row (`mig resolve`)
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string applied_by;
  std::optional<long long> duration_ms;
  std::optional<std::string> error;
};

std::string_view to_string(AttemptStatus);
std::string_view direction_name(Direction);  // "up" or "down"

bool history_table_exists(pqxx::transaction_base&, const HistoryTable&);
void create_history_table_if_missing(pqxx::transaction_base&, const HistoryTable&);

// Every attempt, oldest first; empty when the table does not exist yet.
std::vector<HistoryRow> read_history(pqxx::transaction_base&, const HistoryTable&);
// The latest attempt of each version.
std::map<int, HistoryRow> latest_attempts(pqxx::transaction_base&, const HistoryTable&);

// "2 of 5 up steps"
std::string steps_progress(const HistoryRow&);

// Inserts a `running` row and returns its id.
long long start_attempt(pqxx::transaction_base&, const HistoryTable&, const PlanMigration&,
                        Direction, const AttemptProgress&, int steps_total);
void record_steps_done(pqxx::transaction_base&, const HistoryTable&, long long attempt,
                       int steps_done);
// The same, as a statement for a transaction to send with its steps.
std::string steps_done_sql(const HistoryTable&, long long attempt, int steps_done);
// A finished attempt of a whole migration, as a statement for the one transaction that runs
// all of its steps: the migration and its record commit together or not at all.
std::string whole_attempt_done_sql(const HistoryTable&, const PlanMigration&, Direction,
                                   int steps_total, pqxx::transaction_base& quoting);
// A failed attempt that changed nothing: the transaction of a migration run as one failed.
void record_failed_attempt(pqxx::transaction_base&, const HistoryTable&, const PlanMigration&,
                           Direction, int steps_total, const std::string& error);
// Said, in a statement of its own, just before a step outside a transaction sends its
// statement (1-based), and taken back (nullopt) when the server ended that statement.
void record_step_started(pqxx::connection&, const HistoryTable&, long long attempt,
                         std::optional<int> step);
// A finished attempt written by `mig resolve` for an operator who repaired the database.
void record_resolution(pqxx::transaction_base&, const HistoryTable&, const PlanMigration&,
                       Direction, const std::string& note);
// A backfill batch's position, as a statement for the batch to send with its change.
std::string backfill_position_sql(const HistoryTable&, long long attempt,
                                  const std::string& position, pqxx::transaction_base& quoting);
void finish_attempt(pqxx::transaction_base&, const HistoryTable&, long long attempt);
// Marks `running` attempts failed: called while holding the migration lock, so their runner
// is gone (killed, or lost its connection). Returns how many there were.
int close_interrupted_attempts(pqxx::transaction_base&, const HistoryTable&);
void fail_attempt(pqxx::transaction_base&, const HistoryTable&, long long attempt,
                  const std::string& error);

}  // namespace mig
