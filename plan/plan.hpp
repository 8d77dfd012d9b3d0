#pragma once

// The compiled plan: what the runtime executes. Written by `mig compile` as
// NNNN_name.up.sql / NNNN_name.down.sql (for people) and manifest.json (for the runtime).
// Reading a plan proves the two agree: each migration of the manifest must match its plan
// checksum, and each script on disk must be exactly what rendering the manifest gives.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plan/lock_mode.hpp"

namespace mig {

struct TableLock {
  std::string schema;
  std::string table;
  LockMode mode = LockMode::AccessExclusive;
  std::string display() const { return schema + "." + table; }  // public.users
  bool operator==(const TableLock&) const = default;
};

struct LockFacts {
  std::vector<TableLock> locks;
  bool rewrites_table = false;
  bool scans_table = false;
  bool operator==(const LockFacts&) const = default;
};

enum class StepKind { Ddl, Data, Backfill };

// A batched update (or delete) the runtime runs in keyset batches over the primary key.
struct BackfillSpec {
  std::string table;                     // quoted, qualified
  std::vector<std::string> key_columns;  // quoted primary key columns
  std::string set_clause;                // `"col" = expr, ...`; empty for a delete
  std::string where;                     // extra predicate, may be empty
  int batch_size = 10000;
  bool operator==(const BackfillSpec&) const = default;
};

struct PlanStep {
  std::string description;
  std::string sql;
  // Steps of one migration with the same number run together in one transaction;
  // nullopt: the step runs alone, outside any transaction (e.g. CREATE INDEX CONCURRENTLY).
  std::optional<int> transaction;
  StepKind kind = StepKind::Ddl;
  LockFacts lock;
  std::optional<BackfillSpec> backfill;
  // The line of the migration's source file where the statement it comes from starts; 0:
  // not known (plans compiled before lines were recorded).
  int source_line = 0;
  bool operator==(const PlanStep&) const = default;
};

enum class Reversibility { Reversible, Lossy, Irreversible };

struct PlanMigration {
  int version = 0;
  std::string name;
  std::string source_checksum;  // SHA-256 of the .mig source
  std::string plan_checksum;    // compute_plan_checksum
  Reversibility reversibility = Reversibility::Reversible;
  std::vector<std::string> reversibility_notes;  // why lossy or irreversible
  std::vector<PlanStep> up;
  std::vector<PlanStep> down;  // empty when irreversible
  bool operator==(const PlanMigration&) const = default;
};

struct Plan {
  std::string compiler_version;
  int target_pg_version = 15;
  // The schema the compiler qualified the model's default schema with; a schema-per-tenant
  // fleet moves it into each tenant's schema (plan/default_schema.hpp).
  std::string default_schema = "public";
  std::vector<PlanMigration> migrations;
  bool operator==(const Plan&) const = default;
};

enum class Direction { Up, Down };

std::string_view to_string(StepKind);
std::string_view to_string(Reversibility);

// `text` with control characters other than tab written as \xNN, so that a name holding a
// carriage return or newline cannot end a comment line early.
std::string comment_safe(std::string_view text);

// Zero-padded file stem: 0001_create_users.
std::string migration_stem(const PlanMigration&);

// SHA-256 over the migration's canonical JSON without the checksum itself: every field the
// runtime executes or relies on (steps with their SQL, backfill specs, transactions and
// lock facts; reversibility; the source checksum the history compares).
std::string compute_plan_checksum(const PlanMigration&);

// A readable SQL script of one direction of a migration: each step headed by a comment
// that describes it, its locks and whether it runs inside a transaction; transactions
// are spelled out with BEGIN/COMMIT. A backfill step shows the statement each of its
// batches runs, with placeholders $last and $next for the batch's key bounds.
std::string render_script(const PlanMigration&, Direction);
// Its parts, for the runtime's `mig sql --pending`: a step's comment lines (`index` counts
// from 0), and its statement (a backfill's: each batch's) with its `;`.
std::string render_step_comment(const PlanStep&, std::size_t index);
std::string render_step_sql(const PlanStep&);

nlohmann::json to_json(const Plan&);
Plan plan_from_json(const nlohmann::json&);  // throws std::runtime_error on a malformed manifest

// Writes manifest.json and the per-migration scripts into `dir` (created if missing;
// stale .sql files of this plan format are removed).
void write_plan(const Plan&, const std::filesystem::path& dir);
// Throws std::runtime_error on a malformed manifest, a migration that does not match its
// checksum, and a missing, changed or stray .up.sql / .down.sql, naming the file (and the
// first differing line).
Plan read_plan(const std::filesystem::path& dir);

}  // namespace mig
