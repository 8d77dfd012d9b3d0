#include "runtime/history_table.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>

#include "plan/quote.hpp"

namespace mig {

namespace {

constexpr const char* kCreateHistoryTable = R"sql(
CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {table} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version integer NOT NULL,
  name text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down')),
  checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  steps_done integer NOT NULL,
  steps_total integer NOT NULL,
  backfill_position text,
  step_started integer,
  note text,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  applied_by text NOT NULL,
  duration_ms bigint,
  error text
);
CREATE INDEX IF NOT EXISTS {index} ON {table} (version, id)
)sql";

// Columns added after the first release, for history tables made before them. Checked first:
// ALTER TABLE takes an exclusive lock even when there is nothing to add.
constexpr const char* kAddLaterColumns = R"sql(
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_attribute
                 WHERE attrelid = {literal}::regclass AND attname = 'step_started') THEN
    ALTER TABLE {table} ADD COLUMN step_started integer, ADD COLUMN note text;
  END IF;
END $$
)sql";

// Read through to_jsonb where a column came later: `status`, `history` and `verify` read a
// history table that only the next `up` brings up to date.
constexpr const char* kSelectColumns = R"sql(
  id, version, name, direction, checksum, status, steps_done, steps_total, backfill_position,
  (to_jsonb(h) ->> 'step_started')::integer, to_jsonb(h) ->> 'note',
  to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ'), to_char(finished_at, 'YYYY-MM-DD HH24:MI:SS TZ'),
  applied_by, duration_ms, error
)sql";

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

HistoryRow row_from(const pqxx::row& row) {
  HistoryRow h;
  h.id = row[0].as<long long>();
  h.version = row[1].as<int>();
  h.name = row[2].as<std::string>();
  h.direction = row[3].as<std::string>() == "down" ? Direction::Down : Direction::Up;
  h.checksum = row[4].as<std::string>();
  const auto status = row[5].as<std::string>();
  h.status = status == "done"     ? AttemptStatus::Done
             : status == "failed" ? AttemptStatus::Failed
                                  : AttemptStatus::Running;
  h.progress.steps_done = row[6].as<int>();
  h.steps_total = row[7].as<int>();
  h.progress.backfill_position = optional_text(row[8]);
  if (!row[9].is_null()) h.progress.step_started = row[9].as<int>();
  h.note = optional_text(row[10]);
  h.started_at = row[11].as<std::string>();
  h.finished_at = optional_text(row[12]);
  h.applied_by = row[13].as<std::string>();
  if (!row[14].is_null()) h.duration_ms = row[14].as<long long>();
  h.error = optional_text(row[15]);
  return h;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown-host";
  return name.data();
}

}  // namespace

std::string_view to_string(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Running:
      return "running";
    case AttemptStatus::Done:
      return "done";
    case AttemptStatus::Failed:
      return "failed";
  }
  return "?";
}

std::string_view direction_name(Direction direction) {
  return direction == Direction::Up ? "up" : "down";
}

HistoryTable HistoryTable::in_tenant_schema(const std::string& schema) {
  return {schema, "mig_history"};
}

std::string HistoryTable::sql_name() const {
  return quote_ident(schema) + "." + quote_ident(table);
}

std::string HistoryTable::display() const { return schema + "." + table; }

bool history_table_exists(pqxx::transaction_base& tx, const HistoryTable& history) {
  return !tx.exec1("SELECT to_regclass(" + tx.quote(history.sql_name()) + ") IS NULL")[0]
              .as<bool>();
}

void create_history_table_if_missing(pqxx::transaction_base& tx, const HistoryTable& history) {
  tx.exec(fmt::format(kCreateHistoryTable, fmt::arg("schema", quote_ident(history.schema)),
                      fmt::arg("table", history.sql_name()),
                      fmt::arg("index", quote_ident(history.table + "_version_idx"))));
  tx.exec(fmt::format(kAddLaterColumns, fmt::arg("literal", tx.quote(history.sql_name())),
                      fmt::arg("table", history.sql_name())));
}

std::vector<HistoryRow> read_history(pqxx::transaction_base& tx, const HistoryTable& history) {
  std::vector<HistoryRow> rows;
  if (!history_table_exists(tx, history)) return rows;
  for (const auto& row : tx.exec(std::string("SELECT") + kSelectColumns + "FROM " +
                                 history.sql_name() + " h ORDER BY id"))
    rows.push_back(row_from(row));
  return rows;
}

std::map<int, HistoryRow> latest_attempts(pqxx::transaction_base& tx, const HistoryTable& history) {
  std::map<int, HistoryRow> latest;
  if (!history_table_exists(tx, history)) return latest;
  const auto rows = tx.exec(std::string("SELECT DISTINCT ON (version)") + kSelectColumns + "FROM " +
                            history.sql_name() + " h ORDER BY version, id DESC");
  for (const auto& row : rows) {
    auto h = row_from(row);
    latest.emplace(h.version, std::move(h));
  }
  return latest;
}

std::string steps_progress(const HistoryRow& row) {
  return fmt::format("{} of {} {} steps", row.progress.steps_done, row.steps_total,
                     direction_name(row.direction));
}

long long start_attempt(pqxx::transaction_base& tx, const HistoryTable& history,
                        const PlanMigration& migration, Direction direction,
                        const AttemptProgress& progress, int steps_total) {
  const auto position =
      progress.backfill_position ? tx.quote(*progress.backfill_position) : std::string("NULL");
  const auto started = progress.step_started ? std::to_string(*progress.step_started) : "NULL";
  return tx
      .exec_params1("INSERT INTO " + history.sql_name() +
                        " (version, name, direction, checksum, status, steps_done, "
                        "steps_total, backfill_position, step_started, applied_by) "
                        "VALUES ($1, $2, $3, $4, 'running', $5, $6, " +
                        position + ", " + started + ", current_user || '@' || $7) RETURNING id",
                    migration.version, migration.name, std::string(direction_name(direction)),
                    migration.source_checksum, progress.steps_done, steps_total, host_name())[0]
      .as<long long>();
}

void record_steps_done(pqxx::transaction_base& tx, const HistoryTable& history, long long attempt,
                       int steps_done) {
  tx.exec0(steps_done_sql(history, attempt, steps_done));
}

std::string steps_done_sql(const HistoryTable& history, long long attempt, int steps_done) {
  return fmt::format(
      "UPDATE {} SET steps_done = {}, backfill_position = NULL, step_started = NULL WHERE id = {}",
      history.sql_name(), steps_done, attempt);
}

std::string whole_attempt_done_sql(const HistoryTable& history, const PlanMigration& migration,
                                   Direction direction, int steps_total,
                                   pqxx::transaction_base& quoting) {
  // now() is when the transaction began, with its first statement.
  return fmt::format(
      "INSERT INTO {} (version, name, direction, checksum, status, steps_done, "
      "steps_total, started_at, finished_at, duration_ms, applied_by) "
      "VALUES ({}, {}, {}, {}, 'done', {}, {}, now(), clock_timestamp(), "
      "(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint, "
      "current_user || '@' || {})",
      history.sql_name(), migration.version, quoting.quote(migration.name),
      quoting.quote(std::string(direction_name(direction))),
      quoting.quote(migration.source_checksum), steps_total, steps_total,
      quoting.quote(host_name()));
}

void record_step_started(pqxx::connection& connection, const HistoryTable& history,
                         long long attempt, std::optional<int> step) {
  pqxx::nontransaction session{connection};
  session.exec0(fmt::format("UPDATE {} SET step_started = {} WHERE id = {}", history.sql_name(),
                            step ? std::to_string(*step) : "NULL", attempt));
}

void record_resolution(pqxx::transaction_base& tx, const HistoryTable& history,
                       const PlanMigration& migration, Direction direction,
                       const std::string& note) {
  const auto total =
      static_cast<int>(direction == Direction::Up ? migration.up.size() : migration.down.size());
  tx.exec_params0("INSERT INTO " + history.sql_name() +
                      " (version, name, direction, checksum, status, steps_done, "
                      "steps_total, note, finished_at, duration_ms, applied_by) "
                      "VALUES ($1, $2, $3, $4, 'done', $5, $5, $6, clock_timestamp(), 0, "
                      "current_user || '@' || $7)",
                  migration.version, migration.name, std::string(direction_name(direction)),
                  migration.source_checksum, total, note, host_name());
}

std::string backfill_position_sql(const HistoryTable& history, long long attempt,
                                  const std::string& position, pqxx::transaction_base& quoting) {
  return fmt::format("UPDATE {} SET backfill_position = {} WHERE id = {}", history.sql_name(),
                     quoting.quote(position), attempt);
}

namespace {

void close_attempt(pqxx::transaction_base& tx, const HistoryTable& history, long long attempt,
                   std::string_view status, const std::optional<std::string>& error) {
  const auto error_text = error ? tx.quote(*error) : std::string("NULL");
  tx.exec_params0(
      "UPDATE " + history.sql_name() + " SET status = $2, error = " + error_text +
          ", finished_at = clock_timestamp(), "
          "duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint "
          "WHERE id = $1",
      attempt, std::string(status));
}

}  // namespace

void finish_attempt(pqxx::transaction_base& tx, const HistoryTable& history, long long attempt) {
  close_attempt(tx, history, attempt, "done", std::nullopt);
}

int close_interrupted_attempts(pqxx::transaction_base& tx, const HistoryTable& history) {
  return static_cast<int>(
      tx.exec("UPDATE " + history.sql_name() +
              " SET status = 'failed', finished_at = clock_timestamp(), "
              "error = 'interrupted: the runner stopped before finishing this attempt' "
              "WHERE status = 'running'")
          .affected_rows());
}

void fail_attempt(pqxx::transaction_base& tx, const HistoryTable& history, long long attempt,
                  const std::string& error) {
  close_attempt(tx, history, attempt, "failed", error);
}

void record_failed_attempt(pqxx::transaction_base& tx, const HistoryTable& history,
                           const PlanMigration& migration, Direction direction, int steps_total,
                           const std::string& error) {
  fail_attempt(tx, history,
               start_attempt(tx, history, migration, direction, AttemptProgress{}, steps_total),
               error);
}

}  // namespace mig
