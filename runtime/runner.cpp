#include "runtime/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <random>
#include <thread>
#include <utility>

#include "plan/batch_statement.hpp"
#include "plan/quote.hpp"
#include "runtime/blocker_watch.hpp"
#include "runtime/database_connection.hpp"
#include "runtime/history_table.hpp"
#include "runtime/index_step.hpp"
#include "runtime/lock_holders.hpp"
#include "runtime/lock_policy.hpp"
#include "runtime/migration_lock.hpp"
#include "runtime/pending_script.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/schema_backup.hpp"
#include "runtime/status_report.hpp"
#include "runtime/step_groups.hpp"
#include "runtime/text.hpp"

namespace mig {

namespace {

using Clock = std::chrono::steady_clock;

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

std::string reversibility_notes(const PlanMigration& migration) {
  std::string notes;
  for (const auto& note : migration.reversibility_notes) {
    if (!notes.empty()) notes += "; ";
    notes += note;
  }
  return notes.empty() ? std::string("no notes") : notes;
}

// Plan versions must be unique and ascending; the runtime relies on both.
void check_plan_order(const Plan& plan) {
  for (std::size_t i = 1; i < plan.migrations.size(); ++i) {
    if (plan.migrations[i].version <= plan.migrations[i - 1].version) {
      throw RuntimeError(
          fmt::format("plan: migrations are not in strictly increasing version order ({} after {})",
                      migration_stem(plan.migrations[i]), migration_stem(plan.migrations[i - 1])));
    }
  }
}

// Every step in the same one transaction: the migration commits all at once.
bool is_one_transaction(const std::vector<PlanStep>& steps) {
  return !steps.empty() && std::all_of(steps.begin(), steps.end(), [&](const PlanStep& step) {
    return step.transaction && step.transaction == steps.front().transaction && !step.backfill;
  });
}

void refuse_mismatches(const Plan& plan, const std::map<int, HistoryRow>& latest) {
  const auto mismatches = history_mismatches(plan, latest);
  if (mismatches.empty()) return;
  std::string message = "the plan does not match the migrations applied to this database:";
  for (const auto& mismatch : mismatches) message += "\n  " + mismatch;
  throw RuntimeError(message);
}

bool plan_has_version(const Plan& plan, int version) {
  return std::any_of(plan.migrations.begin(), plan.migrations.end(),
                     [&](const PlanMigration& m) { return m.version == version; });
}

void check_up_to(const Plan& plan, std::optional<int> to_version) {
  if (to_version && !plan_has_version(plan, *to_version))
    throw RuntimeError(
        fmt::format("--to {}: the plan has no migration with that version", *to_version));
}

}  // namespace

Runner::Runner(const std::string& database_url, RunOptions options, std::ostream& out)
    : database_url_(database_url),
      options_(options),
      out_(out),
      connection_(connect_to_database(database_url)),
      session_end_(std::make_unique<SessionEndWatch>(*connection_)),
      session_lock_timeout_(options_.lock_timeout) {
  if (options_.tenant_schema) history_ = HistoryTable::in_tenant_schema(*options_.tenant_schema);
  try {
    pqxx::nontransaction session{*connection_};
    session.exec(fmt::format("SET lock_timeout = {}", options_.lock_timeout.count()));
    session.exec(fmt::format("SET statement_timeout = {}", options_.statement_timeout.count()));
    // Raw SQL's unqualified names go to the tenant's schema; public stays visible for
    // extensions' types and functions.
    if (options_.tenant_schema)
      session.exec(
          fmt::format("SET search_path = {}, public", quote_ident(*options_.tenant_schema)));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot configure the session: {}", explain(e)));
  }
}

Runner::~Runner() = default;

std::string Runner::explain(const pqxx::failure& error) const {
  if (!connection_->is_open() && !session_end_->reason().empty())
    return fmt::format("the connection to the database was lost; the server said: {}",
                       session_end_->reason());
  return describe_database_error(error);
}

std::string Runner::step_failure(const PlanMigration& migration, const std::vector<PlanStep>& steps,
                                 std::size_t index, const pqxx::failure& error,
                                 const std::string& blockers,
                                 const std::string& consequence) const {
  const auto& step = steps[index];
  const auto sql =
      step.backfill ? batch_change_sql(*step.backfill, std::string("$last"), "$next") : step.sql;
  const auto written_at =
      step.source_line > 0
          ? fmt::format("\n  written at: {}.mig:{}", migration_stem(migration), step.source_line)
          : std::string();
  std::string message =
      fmt::format("{}: step {} of {} failed: {}{}\n  sql: {}\n  error: {}",
                  migration_stem(migration), index + 1, steps.size(), step.description, written_at,
                  indented(sql, "       "), indented(explain(error), "         "));
  if (!blockers.empty()) message += fmt::format("\n  blocked by: {}", blockers);
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error))
    return message +
           "\n  the step's record in mig.history commits in the same transaction, so the next "
           "run knows which it was and goes on from there";
  return message + "\n  " + consequence;
}

std::string Runner::use_lock_timeout(bool blocks_traffic) {
  const auto wanted = blocks_traffic ? options_.lock_timeout : std::chrono::milliseconds(0);
  if (wanted != session_lock_timeout_) {
    pqxx::nontransaction session{*connection_};
    session.exec(fmt::format("SET lock_timeout = {}", wanted.count()));
    session_lock_timeout_ = wanted;
  }
  return blocks_traffic ? std::string()
                        : std::string(
                              "; waits for its lock as long as needed: the wait blocks "
                              "no reads or writes");
}

pqxx::connection& Runner::watcher() {
  if (!watcher_) watcher_ = connect_to_database(database_url_);
  return *watcher_;
}

std::map<int, HistoryRow> Runner::prepare_history(const Plan& plan) {
  check_plan_order(plan);
  std::map<int, HistoryRow> latest;
  // The history is mig's own table: waiting for its locks blocks no traffic.
  use_lock_timeout(false);
  std::string_view doing = "create mig's history table (schema `mig`, table `mig.history`)";
  try {
    pqxx::work tx{*connection_};
    create_history_table_if_missing(tx, history_);
    doing = "read the history";
    if (const int interrupted = close_interrupted_attempts(tx, history_); interrupted > 0)
      out_ << fmt::format(
          "note: {} earlier attempt{} did not finish (its runner stopped); marked failed\n",
          interrupted, interrupted == 1 ? "" : "s");
    latest = latest_attempts(tx, history_);
    tx.commit();
  } catch (const pqxx::insufficient_privilege& e) {
    throw RuntimeError(fmt::format(
        "cannot {}: {}\n  mig keeps its history in the schema `mig` of the target database; "
        "let this role create it once (GRANT CREATE ON DATABASE ... TO ...), or create the "
        "schema beforehand and make this role its owner",
        doing, explain(e)));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot {}: {}", doing, explain(e)));
  }
  refuse_mismatches(plan, latest);
  return latest;
}

std::string Runner::pending_sql(const Plan& plan, std::optional<int> to_version) {
  check_plan_order(plan);
  check_up_to(plan, to_version);
  const auto latest = read_latest_attempts();
  refuse_mismatches(plan, latest);
  const auto statuses = migration_statuses(plan, latest);
  return pending_script(up_targets(statuses, to_version), database_version(statuses),
                        options_.lock_timeout, options_.statement_timeout);
}

void Runner::up(const Plan& plan, std::optional<int> to_version) {
  check_up_to(plan, to_version);
  MigrationLock lock(*connection_, migration_lock_key(history_), options_.lock_wait, out_);
  const auto statuses = migration_statuses(plan, prepare_history(plan));
  const auto targets = up_targets(statuses, to_version);
  if (targets.empty()) {
    out_ << fmt::format("nothing to apply; the database is at version {}\n",
                        database_version(statuses));
    return;
  }
  if (options_.check_drift) {
    std::vector<PlanStep> steps;
    for (const auto& target : targets)
      steps.insert(steps.end(), target.status->migration->up.begin(),
                   target.status->migration->up.end());
    refuse_drift(statuses, steps);
  }
  if (options_.backup_schema_dir) {
    const auto& first = *targets.front().status->migration;
    const auto written =
        backup_schema(database_url_, *options_.backup_schema_dir, first.version, options_.pg_dump);
    out_ << fmt::format("wrote the schema before {} to {}\n", migration_stem(first),
                        written.string());
  }
  for (const auto& target : targets) apply(*target.status->migration, Direction::Up, target.resume);
  out_ << fmt::format("applied {} migration{}; the database is at version {}\n", targets.size(),
                      targets.size() == 1 ? "" : "s", targets.back().status->migration->version);
}

void Runner::down(const Plan& plan, const DownRange& range) {
  if (range.steps.has_value() == range.to_version.has_value())
    throw RuntimeError("down: give exactly one of --steps N and --to V");
  if (range.steps && *range.steps < 1) throw RuntimeError("down: --steps must be at least 1");
  if (range.to_version && *range.to_version != 0 && !plan_has_version(plan, *range.to_version))
    throw RuntimeError(
        fmt::format("--to {}: the plan has no migration with that version (0 reverts everything)",
                    *range.to_version));
  MigrationLock lock(*connection_, migration_lock_key(history_), options_.lock_wait, out_);
  const auto statuses = migration_statuses(plan, prepare_history(plan));

  std::vector<const MigrationStatus*> targets;
  for (auto s = statuses.rbegin(); s != statuses.rend(); ++s) {
    if (!is_in_database(s->state)) continue;
    if (range.steps && targets.size() == static_cast<std::size_t>(*range.steps)) break;
    if (range.to_version && s->migration->version <= *range.to_version) break;
    targets.push_back(&*s);
  }
  if (targets.empty()) {
    out_ << "nothing to revert\n";
    return;
  }
  // Refuse before running anything: a half-reverted range is worse than none.
  std::string refusals;
  for (const auto* target : targets) {
    const auto& m = *target->migration;
    if (m.reversibility == Reversibility::Irreversible)
      refusals +=
          fmt::format("\n  {} is irreversible: {}", migration_stem(m), reversibility_notes(m));
    else if (target->state == MigrationState::PartiallyApplied)
      refusals += fmt::format(
          "\n  {} is partially applied ({} done); finish it with `mig up` before reverting it, "
          "or repair the database by hand and record that with `mig resolve {} --applied` or "
          "`--rolled-back`",
          migration_stem(m), steps_progress(*target->latest), m.version);
  }
  if (!refusals.empty()) throw RuntimeError("cannot revert; nothing was changed:" + refusals);
  if (options_.check_drift) {
    std::vector<PlanStep> steps;
    for (const auto* target : targets)
      steps.insert(steps.end(), target->migration->down.begin(), target->migration->down.end());
    refuse_drift(statuses, steps);
  }

  for (const auto* target : targets) {
    const auto& m = *target->migration;
    if (m.reversibility == Reversibility::Lossy)
      out_ << fmt::format("note: reverting {} loses data: {}\n", migration_stem(m),
                          reversibility_notes(m));
    AttemptProgress resume;
    if (target->state == MigrationState::PartiallyReverted) resume = target->latest->progress;
    apply(m, Direction::Down, resume);
  }
  int remaining = 0;
  for (const auto& s : statuses) {
    const bool reverted = std::any_of(targets.begin(), targets.end(),
                                      [&](const MigrationStatus* t) { return t == &s; });
    if (is_in_database(s.state) && !reverted) remaining = s.migration->version;
  }
  out_ << fmt::format("reverted {} migration{}; the database is at version {}\n", targets.size(),
                      targets.size() == 1 ? "" : "s", remaining);
}

void Runner::resolve(const Plan& plan, int version, Resolution resolution) {
  const auto found = std::find_if(plan.migrations.begin(), plan.migrations.end(),
                                  [&](const PlanMigration& m) { return m.version == version; });
  if (found == plan.migrations.end())
    throw RuntimeError(fmt::format("resolve: the plan has no migration with version {}", version));
  const auto& migration = *found;
  const auto stem = migration_stem(migration);
  const bool applied = resolution == Resolution::Applied;
  MigrationLock lock(*connection_, migration_lock_key(history_), options_.lock_wait, out_);
  const auto statuses = migration_statuses(plan, prepare_history(plan));
  const auto& status =
      *std::find_if(statuses.begin(), statuses.end(),
                    [&](const MigrationStatus& s) { return s.migration == &migration; });
  if (status.state != MigrationState::PartiallyApplied &&
      status.state != MigrationState::PartiallyReverted && status.state != MigrationState::Failed)
    throw RuntimeError(
        fmt::format("resolve: {} is {}; only a migration that stopped part way (partially applied, "
                    "partially reverted or failed) needs resolving",
                    stem, to_string(status.state)));

  std::vector<std::string> unchecked;
  const auto mismatches = check_index_steps(*connection_, migration.up, applied, unchecked);
  if (!mismatches.empty()) {
    std::string message =
        fmt::format("resolve: the database does not look like {} {}; nothing was recorded:", stem,
                    applied ? "applied" : "rolled back");
    for (const auto& mismatch : mismatches) message += "\n  " + mismatch;
    throw RuntimeError(message);
  }
  try {
    pqxx::work tx{*connection_};
    record_resolution(
        tx, history_, migration, applied ? Direction::Up : Direction::Down,
        fmt::format("recorded as {} by mig resolve after the {} attempt stopped "
                    "at {}",
                    applied ? "applied" : "rolled back", direction_name(status.latest->direction),
                    steps_progress(*status.latest)));
    tx.commit();
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("resolve: cannot record {} in mig.history: {}", stem, explain(e)));
  }
  out_ << fmt::format("recorded {} as {}", stem, applied ? "applied" : "rolled back (pending)");
  if (!unchecked.empty())
    out_ << fmt::format("; on your word for step{} {}, which the catalog cannot confirm",
                        unchecked.size() == 1 ? "" : "s", fmt::join(unchecked, ", "));
  out_ << "\n";
}

void Runner::adopt(const Plan& plan) {
  MigrationLock lock(*connection_, migration_lock_key(history_), options_.lock_wait, out_);
  if (!prepare_history(plan).empty())
    throw RuntimeError(
        "this database already has a mig history (mig.history); a baseline is recorded only in "
        "a database mig has never migrated");
  try {
    pqxx::work tx{*connection_};
    for (const auto& migration : plan.migrations)
      record_resolution(tx, history_, migration, Direction::Up,
                        "recorded as applied by mig baseline: the database already had its schema");
    tx.commit();
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot record the baseline in mig.history: {}", explain(e)));
  }
  for (const auto& migration : plan.migrations)
    out_ << fmt::format("recorded {} as applied\n", migration_stem(migration));
}

void Runner::apply(const PlanMigration& migration, Direction direction,
                   const AttemptProgress& resume) {
  const bool up = direction == Direction::Up;
  const auto& steps = up ? migration.up : migration.down;
  const auto stem = migration_stem(migration);
  const bool fresh = resume.steps_done == 0 && !resume.backfill_position && !resume.step_started;
  if (!fresh)
    out_ << fmt::format("resuming {} {} at step {} of {}\n", up ? "applying" : "reverting", stem,
                        resume.steps_done + 1, steps.size());
  else
    out_ << fmt::format("{} {} ({} step{})\n", up ? "applying" : "reverting", stem, steps.size(),
                        steps.size() == 1 ? "" : "s");
  const auto started = Clock::now();
  if (fresh && is_one_transaction(steps))
    apply_as_one_transaction(migration, direction);
  else
    apply_step_by_step(migration, direction, resume);
  out_ << fmt::format("  {} {} in {} ms\n", up ? "applied" : "reverted", stem, elapsed_ms(started));
}

void Runner::apply_as_one_transaction(const PlanMigration& migration, Direction direction) {
  const auto& steps = direction == Direction::Up ? migration.up : migration.down;
  const int total = static_cast<int>(steps.size());
  std::string record;
  {
    pqxx::nontransaction quoting{*connection_};
    record = whole_attempt_done_sql(history_, migration, direction, total, quoting);
  }
  try {
    run_transaction(migration, steps, 0, steps.size(), record);
  } catch (const RuntimeError& failure) {
    try {
      pqxx::work tx{*connection_};
      record_failed_attempt(tx, history_, migration, direction, total, failure.what());
      tx.commit();
    } catch (const pqxx::failure& e) {
      if (!connection_->is_open())
        throw RuntimeError(fmt::format(
            "{}\n  the connection to the database is gone, and this runner with it: the "
            "migration and its record in mig.history commit together, so the next run finds "
            "it applied or not at all",
            failure.what()));
      throw RuntimeError(fmt::format("{}\n  (and recording the failure in mig.history failed: {})",
                                     failure.what(), explain(e)));
    }
    throw;
  }
}

void Runner::apply_step_by_step(const PlanMigration& migration, Direction direction,
                                const AttemptProgress& resume) {
  const auto& steps = direction == Direction::Up ? migration.up : migration.down;
  const auto stem = migration_stem(migration);
  const int total = static_cast<int>(steps.size());

  long long attempt = 0;
  try {
    pqxx::nontransaction session{*connection_};
    attempt = start_attempt(session, history_, migration, direction, resume, total);
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("{}: cannot record the attempt in mig.history: {}", stem, explain(e)));
  }

  try {
    std::optional<KeyPosition> position;
    if (resume.backfill_position) position = decode_position(*resume.backfill_position);
    for (const auto& group : step_groups(steps, static_cast<std::size_t>(resume.steps_done))) {
      const auto i = group.first;
      switch (group.kind) {
        case StepGroup::Kind::Backfill:
          run_backfill(migration, steps, i, attempt, std::exchange(position, std::nullopt));
          break;
        case StepGroup::Kind::Alone:
          run_alone(migration, steps, i, attempt, resume.step_started == static_cast<int>(i + 1));
          break;
        case StepGroup::Kind::Transaction:
          run_transaction(migration, steps, i, group.end,
                          steps_done_sql(history_, attempt, static_cast<int>(group.end)));
          break;
      }
    }
    pqxx::nontransaction session{*connection_};
    finish_attempt(session, history_, attempt);
  } catch (const RuntimeError& failure) {
    try {
      pqxx::work tx{*connection_};
      fail_attempt(tx, history_, attempt, failure.what());
      tx.commit();
    } catch (const pqxx::failure& e) {
      if (!connection_->is_open())
        throw RuntimeError(fmt::format(
            "{}\n  the connection to the database is gone, and this runner with it: the next "
            "run marks this attempt failed and resumes where it stopped",
            failure.what()));
      throw RuntimeError(fmt::format("{}\n  (and recording the failure in mig.history failed: {})",
                                     failure.what(), explain(e)));
    }
    throw;
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("{}: cannot record progress in mig.history: {}", stem, explain(e)));
  }
}

void Runner::run_transaction(const PlanMigration& migration, const std::vector<PlanStep>& steps,
                             std::size_t first, std::size_t end, const std::string& record) {
  const auto wait_note = use_lock_timeout(blocks_traffic_while_waiting(steps, first, end));
  for (auto i = first; i < end; ++i)
    out_ << fmt::format("  step {}/{}: {} [transaction {}{}]\n", i + 1, steps.size(),
                        steps[i].description, *steps[i].transaction, wait_note);
  std::size_t current = first;
  const auto consequence =
      end - first == 1
          ? std::string("its transaction was rolled back; the step is not applied")
          : fmt::format(
                "transaction {} (steps {}-{}) was rolled back; none of its steps is applied",
                *steps[first].transaction, first + 1, end);
  run_with_lock_retries(
      fmt::format("step {}", first + 1), traffic_blocking_locks(steps, first, end),
      [&] {
        // BEGIN, the steps, their record and COMMIT go to the server in one round trip; the
        // pipeline tells which statement failed. A runner killed after sending them leaves
        // the server to commit all of them or none, and its session keeps the migration lock
        // until then, so the next run sees the outcome.
        pqxx::nontransaction session{*connection_};
        bool transaction_open = false;
        try {
          pqxx::pipeline pipeline{session};
          pipeline.retain(static_cast<int>(end - first) + 3);
          const auto begin = pipeline.insert("BEGIN");
          std::vector<pqxx::pipeline::query_id> statements;
          // A newline ends a trailing line comment before the pipeline's separator.
          for (auto i = first; i < end; ++i)
            statements.push_back(pipeline.insert(steps[i].sql + "\n"));
          const auto recorded = pipeline.insert(record);
          const auto commit = pipeline.insert("COMMIT");
          pipeline.complete();
          pipeline.retrieve(begin);
          transaction_open = true;
          for (current = first; current < end; ++current)
            pipeline.retrieve(statements[current - first]);
          current =
              end - 1;  // the record and the commit (deferred constraints) belong to the last step
          pipeline.retrieve(recorded);
          transaction_open = false;  // a failed COMMIT ends the transaction too
          pipeline.retrieve(commit);
        } catch (const pqxx::failure&) {
          if (transaction_open && connection_->is_open()) {
            try {
              session.exec0("ROLLBACK");
            } catch (const pqxx::failure&) {
              // The failure being reported says more; the session is reported lost with it.
            }
          }
          throw;
        }
      },
      [&](const pqxx::failure& error, const std::string& blockers) {
        return step_failure(
            migration, steps, current, error, blockers,
            connection_->is_open()
                ? consequence
                : std::string("the connection was lost before the server said whether the "
                              "transaction committed; its record in mig.history commits with "
                              "it, so the next run knows and goes on from there"));
      });
}

void Runner::run_alone(const PlanMigration& migration, const std::vector<PlanStep>& steps,
                       std::size_t index, long long attempt, bool started_before) {
  const auto& step = steps[index];
  const auto wait_note = use_lock_timeout(blocks_traffic_while_waiting(steps, index, index + 1));
  out_ << fmt::format("  step {}/{}: {} [outside a transaction{}]\n", index + 1, steps.size(),
                      step.description, wait_note);
  const auto index_step = parse_index_step(step.sql);
  // The build is one statement, and its WAL reaches the replicas all at once: the bound can
  // only be kept before it starts, so that it does not add to a backlog.
  if (index_step && index_step->action == IndexStep::Action::Build) {
    bool announced = false;
    const auto waited = wait_for_replicas(*connection_, options_.replica_lag, [&](const auto& why) {
      if (!std::exchange(announced, true))
        out_ << fmt::format("  step {}: {}; waiting before the build\n", index + 1, why);
    });
    if (announced)
      out_ << fmt::format("  step {}: replicas within the bound after {:.1f} s\n", index + 1,
                          std::chrono::duration<double>(waited).count());
  }
  const auto consequence =
      index_step && index_step->action == IndexStep::Action::Build
          ? std::string(
                "the step ran outside a transaction; a failed concurrent build may leave an "
                "INVALID index, which the next run drops before building it again")
          : std::string("the step ran outside a transaction; the next run repeats it");
  run_with_lock_retries(
      fmt::format("step {}", index + 1), traffic_blocking_locks(steps, index, index + 1),
      [&] {
        if (index_step && prepare_index_step(*connection_, *index_step, started_before, out_) ==
                              IndexStepStart::AlreadyDone)
          return;
        // Marked started only while its statement may run on the server: an index of the
        // same name that a later run finds is then this statement's work, never one that
        // was there before or that another session built while this runner waited.
        record_step_started(*connection_, history_, attempt, static_cast<int>(index + 1));
        try {
          pqxx::nontransaction session{*connection_};
          session.exec(step.sql);
        } catch (const pqxx::failure&) {
          // The server ended the statement and said so: it runs no more.
          if (connection_->is_open())
            record_step_started(*connection_, history_, attempt, std::nullopt);
          throw;
        }
      },
      [&](const pqxx::failure& error, const std::string& blockers) {
        return step_failure(migration, steps, index, error, blockers, consequence);
      });
  pqxx::nontransaction session{*connection_};
  record_steps_done(session, history_, attempt, static_cast<int>(index + 1));
}

BackfillProgress Runner::start_backfill_progress(const BackfillSpec& spec,
                                                 const std::optional<KeyPosition>& position) {
  // Estimates for the display only: when they cannot be had, the backfill runs without them.
  try {
    pqxx::nontransaction session{*connection_};
    const auto estimate = session.exec(backfill_estimate_sql(spec, session));
    if (!estimate.empty() && estimate[0][0].as<long long>() >= 0) {
      const long long walked =
          position
              ? planned_rows(session.exec1(backfill_keys_through_sql(spec, *position, session))[0]
                                 .as<std::string>())
              : 0;
      return BackfillProgress(out_, options_.progress_bar, estimate[0][0].as<long long>(), walked);
    }
  } catch (const pqxx::failure&) {
  } catch (const RuntimeError&) {
  }
  return BackfillProgress(out_, options_.progress_bar, std::nullopt, 0);
}

void Runner::run_backfill(const PlanMigration& migration, const std::vector<PlanStep>& steps,
                          std::size_t index, long long attempt,
                          std::optional<KeyPosition> position) {
  const auto& step = steps[index];
  const auto& spec = *step.backfill;
  use_lock_timeout(true);  // a batch waiting for a row lock holds the row locks it has taken
  out_ << fmt::format("  step {}/{}: {} [keyset batches of {} rows, one transaction each]\n",
                      index + 1, steps.size(), step.description, spec.batch_size);
  if (position) out_ << fmt::format("  resuming after key ({})\n", fmt::join(*position, ", "));
  BackfillProgress progress = start_backfill_progress(spec, position);
  bool finished = false;
  while (!finished) {
    long long changed = 0;
    std::optional<KeyPosition> last_key;
    wait_for_replicas(*connection_, options_.replica_lag,
                      [&](const std::string& why) { progress.paused(why); });
    progress.resumed();
    // A batch's ROW EXCLUSIVE conflicts only with other schema changes, which traffic does
    // not make: there is nothing to look for before each batch.
    run_with_lock_retries(
        fmt::format("step {} batch", index + 1), {},
        [&] {
          pqxx::work tx{*connection_};
          // The commit need not wait for the disk: a crash that loses it loses the batch's
          // position too, and the next run redoes the batch. Sent first: quoting the batch's
          // bounds needs a live connection, and a lost one is best reported by the server.
          tx.exec("SET LOCAL synchronous_commit = off");
          const auto last = tx.exec(backfill_last_key_sql(spec, position, tx));
          if (last.empty()) {
            record_steps_done(tx, history_, attempt, static_cast<int>(index + 1));
            tx.commit();
            finished = true;
            return;
          }
          KeyPosition key;
          for (std::size_t k = 0; k < spec.key_columns.size(); ++k)
            key.push_back(last[0][static_cast<pqxx::row::size_type>(k)].as<std::string>());
          // The batch's rows and its position commit together, and only on our COMMIT: a
          // runner killed mid-batch leaves nothing of the batch behind for the next run to
          // double.
          changed = tx.exec(fmt::format(
                                "{}; {}",
                                backfill_position_sql(history_, attempt, encode_position(key), tx),
                                backfill_change_sql(spec, position, key, tx)))
                        .affected_rows();
          tx.commit();
          last_key = std::move(key);
        },
        [&](const pqxx::failure& error, const std::string& blockers) {
          return step_failure(
              migration, steps, index, error, blockers,
              fmt::format("the failing batch was rolled back; {} rows in earlier batches are done "
                          "and the next run resumes after key ({})",
                          progress.rows_changed(),
                          position ? fmt::format("{}", fmt::join(*position, ", "))
                                   : std::string("none: from the start")));
        });
    if (finished) break;
    position = std::move(last_key);
    progress.batch_done(spec.batch_size, changed);
    if (options_.batch_pause.count() > 0) std::this_thread::sleep_for(options_.batch_pause);
  }
  progress.finish();
}

void Runner::run_with_lock_retries(
    const std::string& what, const std::vector<TableLock>& look_at,
    const std::function<void()>& attempt,
    const std::function<std::string(const pqxx::failure&, const std::string& blockers)>& describe) {
  static thread_local std::mt19937 random{std::random_device{}()};
  // Often enough to see a blocker within a short lock_timeout; 4 times a second otherwise.
  const auto poll_interval =
      session_lock_timeout_.count() > 0
          ? std::clamp(session_lock_timeout_ / 5, std::chrono::milliseconds(20),
                       std::chrono::milliseconds(250))
          : std::chrono::milliseconds(250);
  // Most statements, backfill batches among them, end before half the lock timeout (at most
  // 1 s, so that a long wait is still announced): they are never looked at.
  const auto first_look =
      std::clamp(session_lock_timeout_ / 2, poll_interval, std::chrono::milliseconds(1000));
  const auto stop_looking = Clock::now() + options_.conflict_wait;
  bool look = !look_at.empty();
  for (int retry = 0;; ++retry) {
    std::string blockers;
    try {
      if (look) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(stop_looking - Clock::now());
        look = wait_outside_lock_queue(*connection_, look_at,
                                       LockLook{session_lock_timeout_, options_.conflict_poll,
                                                std::max(left, std::chrono::milliseconds(0))},
                                       what, out_);
      }
      BlockerWatch watch(watcher(), connection_->backendpid(), first_look, poll_interval, out_);
      try {
        attempt();
        return;
      } catch (const pqxx::failure&) {
        blockers = watch.last_seen();
        throw;
      }
    } catch (const pqxx::failure& error) {
      const auto sqlstate = sqlstate_of(error);
      const bool lock_failure = sqlstate == kLockNotAvailable || sqlstate == kDeadlockDetected;
      const auto reason =
          sqlstate == kLockNotAvailable
              ? fmt::format("no lock within lock_timeout ({} ms)", session_lock_timeout_.count())
              : std::string("deadlock");
      if (lock_failure && retry < options_.lock_retries) {
        const auto doubled = options_.retry_base_delay * (1LL << std::min(retry, 16));
        const auto capped = std::min<std::chrono::milliseconds>(doubled, options_.retry_max_delay);
        std::uniform_real_distribution<double> jitter(0.5, 1.5);
        const auto delay = std::chrono::milliseconds(
            static_cast<long long>(static_cast<double>(capped.count()) * jitter(random)));
        out_ << fmt::format("  {}: {}{}; retry {} of {} in {} ms\n", what, reason,
                            blockers.empty() ? "" : ", blocked by " + blockers, retry + 1,
                            options_.lock_retries, delay.count());
        std::this_thread::sleep_for(delay);
        continue;
      }
      auto message = describe(error, blockers);
      if (lock_failure)
        message += fmt::format(
            "\n  gave up after {} attempt{} ({}); end the blocking session, or raise "
            "--lock-timeout or --retries",
            retry + 1, retry == 0 ? "" : "s", reason);
      throw RuntimeError(message);
    }
  }
}

std::map<int, HistoryRow> Runner::read_latest_attempts() {
  try {
    pqxx::read_transaction tx{*connection_};
    return latest_attempts(tx, history_);
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot read the history: {}", explain(e)));
  }
}

StatusReport Runner::status(const Plan& plan, ReportFormat format) {
  check_plan_order(plan);
  std::map<int, HistoryRow> latest;
  std::string runner;
  try {
    pqxx::read_transaction tx{*connection_};
    latest = latest_attempts(tx, history_);
    runner = describe_migration_lock_holders(tx, migration_lock_key(history_));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot read the history: {}", explain(e)));
  }
  StatusReport report{migration_statuses(plan, latest), history_mismatches(plan, latest), runner};
  for (auto& sentence : pending_below_applied(report.migrations))
    report.mismatches.push_back(std::move(sentence));
  print_status(out_, report, format);
  return report;
}

void Runner::history(ReportFormat format) {
  std::vector<HistoryRow> rows;
  try {
    pqxx::read_transaction tx{*connection_};
    rows = read_history(tx, history_);
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot read the history: {}", explain(e)));
  }
  print_history(out_, rows, format);
}

namespace {

// The migrations whose changes are all in the database, in order; nullopt when one stopped
// part way (its changes are some of its steps', which no replay gives).
std::optional<std::vector<PlanMigration>> applied_migrations(
    const std::vector<MigrationStatus>& statuses, std::string& stopped) {
  std::vector<PlanMigration> applied;
  for (const auto& s : statuses) {
    if (s.state == MigrationState::PartiallyApplied ||
        s.state == MigrationState::PartiallyReverted) {
      stopped = migration_stem(*s.migration);
      return std::nullopt;
    }
    if (s.state == MigrationState::Applied) applied.push_back(*s.migration);
  }
  return applied;
}

}  // namespace

void Runner::refuse_drift(const std::vector<MigrationStatus>& statuses,
                          const std::vector<PlanStep>& steps) {
  std::string stopped;
  const auto applied = applied_migrations(statuses, stopped);
  if (!applied) {
    out_ << fmt::format("note: no drift check: {} stopped part way\n", stopped);
    return;
  }
  DriftReport report;
  try {
    report = find_drift(*connection_, *applied);
  } catch (const RuntimeError& e) {
    // The run goes on as it would have without the check; a step still fails on a drifted object.
    out_ << fmt::format("note: no drift check: {}\n", e.what());
    return;
  }
  const auto touched = touched_by(report.differences, steps);
  if (touched.empty()) return;
  std::string message =
      "the database differs from its migrations where this run would change it; nothing was run:";
  for (const auto& d : touched) message += "\n  " + describe(d, report.version);
  throw RuntimeError(message +
                     "\n  repair the database (`mig drift` lists every difference), or run with "
                     "--no-drift-check to go on anyway");
}

std::vector<PlanMigration> Runner::applied_for_drift(const Plan& plan) {
  check_plan_order(plan);
  const auto latest = read_latest_attempts();
  refuse_mismatches(plan, latest);
  std::string stopped;
  const auto applied = applied_migrations(migration_statuses(plan, latest), stopped);
  if (!applied)
    throw RuntimeError(fmt::format(
        "{} stopped part way, so no migration history gives the schema to compare with; finish "
        "it with `mig up`, or record it with `mig resolve`",
        stopped));
  return *applied;
}

DriftReport Runner::drift(const Plan& plan, ReportFormat format) {
  const auto report = find_drift(*connection_, applied_for_drift(plan));
  print_drift(out_, report, format);
  return report;
}

DriftReport Runner::drift(const Plan& plan, DriftReplays& replays) {
  std::vector<int> versions;
  for (const auto& migration : applied_for_drift(plan)) versions.push_back(migration.version);
  return replays.compare(*connection_, versions, options_.tenant_schema);
}

bool Runner::verify(const Plan& plan) {
  check_plan_order(plan);
  const auto latest = read_latest_attempts();
  const auto mismatches = history_mismatches(plan, latest);
  for (const auto& mismatch : mismatches) out_ << "error: " << mismatch << "\n";
  int in_database = 0;
  for (const auto& s : migration_statuses(plan, latest))
    if (is_in_database(s.state)) ++in_database;
  if (mismatches.empty())
    out_ << fmt::format("ok: the {} applied migration{} match the plan\n", in_database,
                        in_database == 1 ? "" : "s");
  return mismatches.empty();
}

}  // namespace mig
