#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/backfill_batch.hpp"
#include "runtime/backfill_progress.hpp"
#include "runtime/database_connection.hpp"
#include "runtime/drift.hpp"
#include "runtime/history_table.hpp"
#include "runtime/migration_state.hpp"
#include "runtime/replica_lag.hpp"
#include "runtime/status_report.hpp"

namespace mig {

struct RunOptions {
  // A statement whose lock blocks reads or writes while it waits for it (see
  // runtime/lock_policy.hpp) waits at most this long, so it never sits in the lock queue
  // stalling all traffic behind it; then the step is retried with backoff. Steps whose locks
  // block no traffic wait without a limit. Defaults measured in bench/README.md.
  std::chrono::milliseconds lock_timeout{100};
  int lock_retries = 10;
  std::chrono::milliseconds retry_base_delay{200};  // doubled per retry, with jitter
  std::chrono::milliseconds retry_max_delay{10000};
  // Before asking for a lock whose wait would block traffic, the step waits outside the
  // lock queue while another session holds a conflicting lock (runtime/lock_holders.hpp):
  // it looks this often, and after conflict_wait asks for the lock anyway (then the
  // lock_timeout retries above apply).
  std::chrono::milliseconds conflict_poll{50};
  std::chrono::milliseconds conflict_wait{60000};
  std::chrono::milliseconds statement_timeout{0};  // zero: no limit
  std::chrono::seconds lock_wait{30};              // for the migration lock; zero: try once
  std::chrono::milliseconds batch_pause{0};        // between backfill batches
  // Before each backfill batch and each concurrent index build, wait while a streaming
  // replica lags more than this (runtime/replica_lag.hpp). Unset: no waiting.
  ReplicaLagBound replica_lag;
  bool progress_bar = false;  // a backfill redraws one progress line (output is a terminal)
  // `up` only: write `pg_dump --schema-only` here before the first pending migration runs.
  std::optional<std::filesystem::path> backup_schema_dir;
  std::string pg_dump;  // the pg_dump program for backup_schema_dir; empty: found by mig
  // `up` and `down`: before running anything, refuse when an object the steps touch differs
  // from what the applied migrations made it (runtime/drift.hpp).
  bool check_drift = false;
  // Schema-per-tenant: the history is this schema's own (`<schema>.mig_history`, with its own
  // migration lock) and the session's search_path starts with it. The plan given to the
  // runner is placed in it already (plan/default_schema.hpp).
  std::optional<std::string> tenant_schema;
};

// How far `down` goes: exactly one of the two is set. `to_version` 0 reverts everything.
struct DownRange {
  std::optional<int> steps;
  std::optional<int> to_version;
};

// What an operator who repaired a migration that stopped part way says it is now.
enum class Resolution {
  Applied,     // every change of the migration is in the database
  RolledBack,  // none of them is
};

// Applies a plan to one database. Everything for people goes to `out`; failures are
// thrown as RuntimeError with the whole story (migration, step, SQL, server message).
class Runner {
 public:
  Runner(const std::string& database_url, RunOptions, std::ostream& out);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Applies pending migrations in order, up to and including `to_version`, resuming a
  // partially applied one where it stopped.
  void up(const Plan&, std::optional<int> to_version = std::nullopt);
  void down(const Plan&, const DownRange&);
  // Records a migration that stopped part way as applied or rolled back, after checking the
  // catalog where the steps say what to look for (indexes built or dropped); refuses when it
  // disagrees, or when the migration did not stop part way.
  void resolve(const Plan&, int version, Resolution);
  // Records every migration of the plan as applied without running it, for a database that
  // already has their schema (`mig baseline`); refuses a database with any mig history.
  void adopt(const Plan&);

  // The SQL `up` would run now, as it would run it (runtime/pending_script.hpp), read from
  // the history without taking the migration lock; throws what `up` would refuse with.
  std::string pending_sql(const Plan&, std::optional<int> to_version = std::nullopt);

  // Prints each migration's state and a summary line, and returns them.
  StatusReport status(const Plan&, ReportFormat = ReportFormat::Text);
  void history(ReportFormat = ReportFormat::Text);
  // Prints whether the applied migrations match the plan; false when they do not.
  bool verify(const Plan&);
  // Prints where the database's schema differs from what its applied migrations made it, and
  // returns it; throws RuntimeError when a migration stopped part way.
  DriftReport drift(const Plan&, ReportFormat = ReportFormat::Text);
  // The same, compared with `replays` (shared by a fleet's targets), without printing.
  DriftReport drift(const Plan&, DriftReplays& replays);

 private:
  // Creates the history table if needed and checks the plan against it; returns the latest
  // attempt of each version. Runs under the migration lock.
  std::map<int, HistoryRow> prepare_history(const Plan&);
  std::map<int, HistoryRow> read_latest_attempts();  // read-only, without the lock
  // The migrations applied, in order, for a drift comparison; throws RuntimeError when one
  // stopped part way.
  std::vector<PlanMigration> applied_for_drift(const Plan&);
  // Throws RuntimeError listing the drift of the objects `steps` touch, if any.
  void refuse_drift(const std::vector<MigrationStatus>&, const std::vector<PlanStep>& steps);
  void apply(const PlanMigration&, Direction, const AttemptProgress& resume);
  // A migration whose steps are all one transaction, not begun before: its steps and its
  // record in mig.history commit together, so nothing marks it running in between.
  void apply_as_one_transaction(const PlanMigration&, Direction);
  // Any other: an attempt marked running first, each unit recording its progress.
  void apply_step_by_step(const PlanMigration&, Direction, const AttemptProgress& resume);
  // Runs steps[first, end) and `record` (their record in mig.history) in one transaction,
  // sent in one round trip.
  void run_transaction(const PlanMigration&, const std::vector<PlanStep>&, std::size_t first,
                       std::size_t end, const std::string& record);
  // `started_before`: the interrupted attempt this one resumes had begun this step.
  void run_alone(const PlanMigration&, const std::vector<PlanStep>&, std::size_t index,
                 long long attempt, bool started_before);
  void run_backfill(const PlanMigration&, const std::vector<PlanStep>&, std::size_t index,
                    long long attempt, std::optional<KeyPosition> position);
  // Reads the table's row estimate and, when resuming, how many keys are done already
  // (planner estimates, for the display).
  BackfillProgress start_backfill_progress(const BackfillSpec&,
                                           const std::optional<KeyPosition>& position);
  // Runs `attempt`, retrying it with backoff while it fails for a lock (lock_timeout or
  // deadlock); any other failure, or the last one, becomes a RuntimeError whose message
  // `describe` writes from the error and the sessions that blocked it. Before each try it
  // waits outside the lock queue while a session holds a lock conflicting with `look_at`.
  void run_with_lock_retries(
      const std::string& what, const std::vector<TableLock>& look_at,
      const std::function<void()>& attempt,
      const std::function<std::string(const pqxx::failure&, const std::string& blockers)>&
          describe);
  pqxx::connection& watcher();
  // A failure of connection_ for a person: the server's own reason when it ended the session.
  std::string explain(const pqxx::failure&) const;
  // The whole story of a failed step: migration, step, its SQL (a backfill's: the statement
  // each batch runs), the error, who blocked it, and what it left behind.
  std::string step_failure(const PlanMigration&, const std::vector<PlanStep>&, std::size_t index,
                           const pqxx::failure&, const std::string& blockers,
                           const std::string& consequence) const;
  // Sets the session's lock_timeout for the next steps: the short one of the options, or
  // none for steps whose wait blocks no traffic. Returns a note for the step header.
  std::string use_lock_timeout(bool blocks_traffic);

  std::string database_url_;
  RunOptions options_;
  HistoryTable history_;
  std::ostream& out_;
  std::unique_ptr<pqxx::connection> connection_;    // runs steps and records history
  std::unique_ptr<SessionEndWatch> session_end_;    // why connection_ was lost, if it was
  std::unique_ptr<pqxx::connection> watcher_;       // watches for lock waits; opened on demand
  std::chrono::milliseconds session_lock_timeout_;  // what the session is set to now
};

}  // namespace mig
