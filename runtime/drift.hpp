#pragma once

// Drift: where a database's catalog differs from the schema its applied migrations give.
// The expected schema is the applied migrations' plan replayed, one migration at a time, on
// a scratch PostgreSQL (runtime/scratch_server.hpp) and read back with the same catalog
// reader (runtime/live_schema.hpp), so both sides are PostgreSQL's own deparsed text and
// compare exactly; replaying one migration at a time tells which migration made each object.

#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/live_schema.hpp"
#include "runtime/scratch_server.hpp"
#include "runtime/status_report.hpp"

namespace mig {

// One object of a schema as drift compares it: `column public.users.email`, with the
// properties of it that must match, by name (`type`, `default`, ...; an absent value is left out).
struct SchemaObject {
  std::string name;
  std::string relation;      // `public.users`: the table or view it is part of, or is; may be empty
  std::string relation_sql;  // `"public"."users"`
  std::string sql_name;      // its own name as SQL writes it (`"email"`), to find it in a step
  std::vector<std::pair<std::string, std::string>> properties;
};

// Every object of the schema, each kind described next to the others in drift.cpp.
std::vector<SchemaObject> schema_objects(const LiveDatabase&);

struct Difference {
  std::string object;                            // `index public.users_email_idx`
  std::string relation, relation_sql, sql_name;  // see SchemaObject
  std::string property;                          // empty: the object is on one side only
  std::optional<std::string> model;              // nullopt: not in the model
  std::optional<std::string> database;           // nullopt: not in the database
  // The migration that made the model's side: `0003_add_email_index.mig:4`; empty when the
  // model has no such object.
  std::string made_by;
};

struct DriftReport {
  int version = 0;          // the newest migration applied to the database
  std::size_t objects = 0;  // objects compared
  std::vector<Difference> differences;
};

// Compares the catalog of `database` with `applied` (the migrations applied to it, in order)
// replayed on a scratch server. Throws RuntimeError when the replay fails.
DriftReport find_drift(pqxx::connection& database, const std::vector<PlanMigration>& applied);
// The same, replaying on a new database of `server` instead of a server of its own.
DriftReport find_drift(pqxx::connection& database, const std::vector<PlanMigration>& applied,
                       ScratchServer& server);

// The replays a fleet's targets are compared with: one per distinct list of applied
// migrations, each replayed once on one scratch server (started by the first), so a fleet
// at one version costs one replay whatever its size. Safe to use from many threads.
class DriftReplays {
 public:
  // `plan`: as compiled, its default schema not moved to a tenant's (plan/default_schema.hpp).
  explicit DriftReplays(const Plan& plan);
  ~DriftReplays();
  DriftReplays(const DriftReplays&) = delete;
  DriftReplays& operator=(const DriftReplays&) = delete;

  // Compares `database` with the plan's migrations of `applied` (versions, in order). With
  // `tenant_schema`, compares that schema of `database`, but its history table, with the
  // replay's default schema. Throws RuntimeError.
  DriftReport compare(pqxx::connection& database, const std::vector<int>& applied,
                      const std::optional<std::string>& tenant_schema);

 private:
  struct Replay;
  Replay& replay_of(pqxx::connection& database, const std::vector<int>& applied);

  const Plan& plan_;
  std::mutex mutex_;
  std::optional<ScratchServer> server_;
  std::map<std::vector<int>, std::unique_ptr<Replay>> replays_;
};

// The differences about an object the steps touch: a table they lock, or an object whose
// name (or whose table's name) they write.
std::vector<Difference> touched_by(const std::vector<Difference>&, const std::vector<PlanStep>&);

// One line for a person: `drift: column public.users.hotfix exists in the database but not in
// the model (applied version 0007)`.
std::string describe(const Difference&, int version);
void print_drift(std::ostream&, const DriftReport&, ReportFormat);

}  // namespace mig
