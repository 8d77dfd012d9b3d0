#include "runtime/drift.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "plan/default_schema.hpp"
#include "runtime/database_connection.hpp"
#include "runtime/history_table.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/scratch_server.hpp"

namespace mig {

namespace {

std::string ident(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string display(const LiveName& name) { return name.schema + "." + name.name; }
std::string sql(const LiveName& name) { return ident(name.schema) + "." + ident(name.name); }

using Properties = std::vector<std::pair<std::string, std::string>>;

void add(Properties& properties, const std::string& name, const std::optional<std::string>& value) {
  if (value) properties.emplace_back(name, *value);
}

void add_grants(Properties& properties, const LiveGrants& grants) {
  for (const auto& [grantee, privileges] : grants)
    properties.emplace_back("privileges of " + grantee, privileges);
}

std::string yes_no(bool condition) { return condition ? "yes" : "no"; }

// One function per kind of object: what of it must match.

SchemaObject schema_object(const LiveSchema& schema) {
  // Steps name a schema in qualified names; they change it only through `... SCHEMA "s"`.
  SchemaObject object{"schema " + schema.name, "", "", "SCHEMA " + ident(schema.name), {}};
  add(object.properties, "comment", schema.comment);
  add_grants(object.properties, schema.grants);
  return object;
}

SchemaObject extension_object(const LiveExtension& extension) {
  return {"extension " + extension.name,
          "",
          "",
          "EXTENSION " + ident(extension.name),
          {{"schema", extension.schema}}};
}

SchemaObject enum_object(const LiveEnum& type) {
  std::string values;
  for (const auto& value : type.values) values += (values.empty() ? "'" : ", '") + value + "'";
  SchemaObject object{
      "type " + display(type.name), "", "", ident(type.name.name), {{"values", values}}};
  add(object.properties, "comment", type.comment);
  return object;
}

SchemaObject sql_type_object(const LiveSqlType& type) {
  SchemaObject object{type.kind + " " + display(type.name),
                      "",
                      "",
                      ident(type.name.name),
                      {{"definition", type.definition}}};
  add(object.properties, "comment", type.comment);
  return object;
}

SchemaObject sequence_object(const LiveSequence& q) {
  SchemaObject object{"sequence " + display(q.name),
                      "",
                      "",
                      ident(q.name.name),
                      {{"type", q.type},
                       {"start", q.start},
                       {"increment", q.increment},
                       {"minimum", q.minimum},
                       {"maximum", q.maximum},
                       {"cache", q.cache},
                       {"cycle", yes_no(q.cycle)}}};
  if (q.owned_by)
    object.properties.emplace_back("owned by",
                                   display(q.owned_by->first) + "." + q.owned_by->second);
  add(object.properties, "comment", q.comment);
  return object;
}

SchemaObject function_object(const LiveFunction& function) {
  // regprocedure's `app.touch()`, `"Odd"(integer)`: the name after the schema, unquoted.
  auto name = function.signature.substr(0, function.signature.find('('));
  name = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
  std::erase(name, '"');
  SchemaObject object{
      "function " + function.signature, "", "", ident(name), {{"definition", function.definition}}};
  add(object.properties, "comment", function.comment);
  return object;
}

SchemaObject column_object(const LiveTable& table, const LiveColumn& column) {
  SchemaObject object{fmt::format("column {}.{}", display(table.name), column.name),
                      display(table.name),
                      sql(table.name),
                      ident(column.name),
                      {{"type", column.type}}};
  object.properties.emplace_back("not null", yes_no(column.not_null));
  if (column.generated_stored)
    add(object.properties, "generated always as (...) stored", column.default_expression);
  else
    add(object.properties, "default", column.default_expression);
  if (column.identity)
    object.properties.emplace_back("identity", column.identity == 'a' ? "always" : "by default");
  if (const auto& q = column.identity_sequence; q && !q->has_default_options())
    object.properties.emplace_back(
        "identity sequence",
        fmt::format("increment by {} minvalue {} maxvalue {} start with {} cache {}{}",
                    q->increment, q->minimum, q->maximum, q->start, q->cache,
                    q->cycle ? " cycle" : ""));
  add(object.properties, "collation", column.collation);
  add(object.properties, "comment", column.comment);
  return object;
}

SchemaObject constraint_object(const LiveTable& table, const LiveConstraint& constraint) {
  SchemaObject object{fmt::format("constraint {} on {}", constraint.name, display(table.name)),
                      display(table.name),
                      sql(table.name),
                      ident(constraint.name),
                      {{"definition", constraint.definition}}};
  add(object.properties, "comment", constraint.comment);
  return object;
}

SchemaObject table_object(const LiveTable& table) {
  SchemaObject object{"table " + display(table.name),
                      display(table.name),
                      sql(table.name),
                      ident(table.name.name),
                      {}};
  object.properties = {
      {"unlogged", yes_no(table.unlogged)},
      {"row level security", yes_no(table.row_security)},
      {"row level security forced on the owner", yes_no(table.force_row_security)}};
  for (const auto& [name, value] : table.storage_parameters)
    object.properties.emplace_back("storage parameter " + name, value);
  add(object.properties, "comment", table.comment);
  add_grants(object.properties, table.grants);
  return object;
}

SchemaObject index_object(const LiveIndex& index) {
  SchemaObject object{"index " + display({index.table.schema, index.name}),
                      display(index.table),
                      sql(index.table),
                      ident(index.name),
                      {{"definition", index.definition}}};
  add(object.properties, "comment", index.comment);
  return object;
}

SchemaObject view_object(const LiveView& view) {
  SchemaObject object{(view.materialized ? "materialized view " : "view ") + display(view.name),
                      display(view.name),
                      sql(view.name),
                      ident(view.name.name),
                      {{"query", view.query}}};
  add(object.properties, "comment", view.comment);
  add_grants(object.properties, view.grants);
  return object;
}

SchemaObject trigger_object(const LiveTrigger& trigger) {
  SchemaObject object{fmt::format("trigger {} on {}", trigger.name, display(trigger.table)),
                      display(trigger.table),
                      sql(trigger.table),
                      ident(trigger.name),
                      {{"definition", trigger.definition}}};
  if (trigger.enabled != 'O')
    object.properties.emplace_back("enabled", trigger.enabled == 'D'   ? "disabled"
                                              : trigger.enabled == 'R' ? "replica only"
                                                                       : "always");
  add(object.properties, "comment", trigger.comment);
  return object;
}

SchemaObject policy_object(const LivePolicy& policy) {
  return {fmt::format("policy {} on {}", policy.name, display(policy.table)),
          display(policy.table),
          sql(policy.table),
          ident(policy.name),
          {{"definition", policy.definition}}};
}

// A privilege on a sequence, a function or columns, or with grant option: one object per
// grantee and kind of grant, its privileges the property.
SchemaObject privilege_object(const LivePrivilege& p) {
  auto on = p.kind + " " + (p.kind == "function" ? p.object.name : display(p.object));
  if (!p.columns.empty()) on += fmt::format(" ({})", fmt::join(p.columns, ", "));
  return {fmt::format("{} {}{} {}", p.revoked ? "revoked from" : "granted to", p.grantee,
                      p.grantable ? " with grant option" : "", "on " + on),
          "",
          "",
          "",
          {{"privileges", p.privileges}}};
}

}  // namespace

std::vector<SchemaObject> schema_objects(const LiveDatabase& db) {
  std::vector<SchemaObject> objects;
  for (const auto& schema : db.schemas) objects.push_back(schema_object(schema));
  for (const auto& extension : db.extensions) objects.push_back(extension_object(extension));
  for (const auto& type : db.enums) objects.push_back(enum_object(type));
  for (const auto& type : db.sql_types) objects.push_back(sql_type_object(type));
  for (const auto& sequence : db.sequences) objects.push_back(sequence_object(sequence));
  for (const auto& function : db.functions) objects.push_back(function_object(function));
  for (const auto& table : db.tables) {
    objects.push_back(table_object(table));
    for (const auto& column : table.columns) objects.push_back(column_object(table, column));
    for (const auto& constraint : table.constraints)
      objects.push_back(constraint_object(table, constraint));
  }
  // An INVALID index is a failed concurrent build's leftover, which the runner rebuilds.
  for (const auto& index : db.indexes)
    if (index.valid) objects.push_back(index_object(index));
  for (const auto& view : db.views) objects.push_back(view_object(view));
  for (const auto& trigger : db.triggers) objects.push_back(trigger_object(trigger));
  for (const auto& policy : db.policies) objects.push_back(policy_object(policy));
  for (const auto& privilege : db.privileges) objects.push_back(privilege_object(privilege));
  // Objects read by name only (foreign tables, base types, procedures, rules ...); comments
  // are properties of what they comment on.
  for (const auto& other : db.skipped)
    if (!other.object.starts_with("comment on ")) objects.push_back({other.object, "", "", "", {}});
  return objects;
}

namespace {

using Objects = std::map<std::string, SchemaObject>;

Objects by_name(std::vector<SchemaObject> objects) {
  Objects out;
  for (auto& object : objects) {
    auto name = object.name;
    out.insert_or_assign(std::move(name), std::move(object));
  }
  return out;
}

std::optional<std::string> value_of(const SchemaObject& object, const std::string& property) {
  for (const auto& [name, value] : object.properties)
    if (name == property) return value;
  return std::nullopt;
}

// The model's side: the objects and, by `object` or `object\nproperty`, the migration (and
// line) that last made each.
struct Expected {
  Objects objects;
  std::map<std::string, std::string> made_by;
};

// The step of `migration` that made the object (`property` empty) or set the property: the
// first step naming the object; for a property the last naming it (a `comment on` or `grant`
// for those properties, else preferably one whose description names the object as a whole:
// `create function app.touch()`, not the trigger that calls it); else one locking its table.
// `0004_name.mig:LINE`.
std::string made_by(const PlanMigration& migration, const SchemaObject& object,
                    const std::string& property) {
  const auto& steps = migration.up;
  const auto names_it = [&](const PlanStep& step) {
    return !object.sql_name.empty() && step.sql.find(object.sql_name) != std::string::npos;
  };
  const bool access = property.starts_with("privileges of ");
  const auto sets_it = [&](const PlanStep& step) {
    if (!names_it(step)) return false;
    const bool comment_step = step.sql.starts_with("COMMENT ");
    const bool grant_step = step.sql.starts_with("GRANT ") || step.sql.starts_with("REVOKE ");
    if (property == "comment") return comment_step;
    if (access) return grant_step;
    return !comment_step && !grant_step;
  };
  const auto describes_it = [&](const PlanStep& step) {
    return sets_it(step) && step.description.find(object.name) != std::string::npos;
  };
  const auto locks_it = [&](const PlanStep& step) {
    return std::any_of(step.lock.locks.begin(), step.lock.locks.end(),
                       [&](const TableLock& lock) { return lock.display() == object.relation; });
  };
  auto step = steps.end();
  if (property.empty()) {
    step = std::find_if(steps.begin(), steps.end(), names_it);
  } else {
    auto last = std::find_if(steps.rbegin(), steps.rend(), describes_it);
    if (last == steps.rend()) last = std::find_if(steps.rbegin(), steps.rend(), sets_it);
    if (last == steps.rend()) last = std::find_if(steps.rbegin(), steps.rend(), names_it);
    step = last != steps.rend() ? std::prev(last.base()) : steps.end();
  }
  if (step == steps.end()) step = std::find_if(steps.begin(), steps.end(), locks_it);
  if (step == steps.end()) step = steps.begin();
  const auto file = migration_stem(migration) + ".mig";
  return step != steps.end() && step->source_line > 0
             ? fmt::format("{}:{}", file, step->source_line)
             : file;
}

// Roles are the cluster's, not the database's: the migrations may grant to any role the
// database's server has. The replay runs as the role that runs them on the database, as a
// superuser of the scratch server, so the objects have the same owner on both sides (whose
// own privileges are not compared). Returns that role.
std::string copy_roles(pqxx::connection& database, pqxx::connection& scratch) {
  std::set<std::string> present;
  pqxx::nontransaction scratch_tx{scratch};
  for (const auto& row : scratch_tx.exec("SELECT rolname FROM pg_roles"))
    present.insert(row[0].as<std::string>());
  pqxx::read_transaction tx{database};
  const auto roles = tx.exec("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_'");
  const auto runner = tx.exec1("SELECT current_user")[0].as<std::string>();
  tx.commit();
  for (const auto& row : roles) {
    const auto role = row[0].as<std::string>();
    if (!present.contains(role)) scratch_tx.exec("CREATE ROLE " + scratch_tx.quote_name(role));
  }
  scratch_tx.exec("ALTER ROLE " + scratch_tx.quote_name(runner) + " SUPERUSER LOGIN");
  return runner;
}

// The scratch database the migrations were replayed in (none when nothing is applied), and
// what they made.
struct Replayed {
  std::unique_ptr<pqxx::connection> scratch;
  Expected expected;
};

Objects read_objects(pqxx::connection& database) {
  try {
    return by_name(schema_objects(read_live_schema(database)));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("cannot read the database's catalog: {}", describe_database_error(e)));
  }
}

RuntimeError replay_failed(const std::string& why) {
  return RuntimeError(fmt::format(
      "cannot replay the applied migrations on a scratch PostgreSQL to compare with: {}", why));
}

// `server` may be null when nothing is applied: the model is then empty.
Replayed replay(pqxx::connection& database, const std::vector<PlanMigration>& applied,
                ScratchServer* server) {
  Replayed replayed;
  if (applied.empty()) return replayed;
  auto& expected = replayed.expected;
  static std::atomic<int> replays = 0;
  try {
    const auto name = fmt::format("mig_drift_{}", ++replays);
    replayed.scratch = connect_to_database(server->create_database(name));
    const auto url = server->url_for(name, copy_roles(database, *replayed.scratch));
    Plan plan;
    plan.migrations = applied;
    std::ostream quiet(nullptr);
    Runner runner(url, RunOptions{}, quiet);
    for (const auto& migration : applied) {
      runner.up(plan, migration.version);
      auto now = read_objects(*replayed.scratch);
      for (const auto& [name, object] : now) {
        const auto before = expected.objects.find(name);
        if (before == expected.objects.end())
          expected.made_by[name] = made_by(migration, object, "");
        std::set<std::string> properties;
        for (const auto& [property, value] : object.properties) properties.insert(property);
        if (before != expected.objects.end())
          for (const auto& [property, value] : before->second.properties)
            properties.insert(property);
        for (const auto& property : properties)
          if (before == expected.objects.end() ||
              value_of(before->second, property) != value_of(object, property))
            expected.made_by[name + "\n" + property] = made_by(migration, object, property);
      }
      expected.objects = std::move(now);
    }
  } catch (const pqxx::failure& e) {
    throw replay_failed(describe_database_error(e));
  } catch (const RuntimeError& e) {
    throw replay_failed(e.what());
  }
  return replayed;
}

// Where `live` differs from `expected`, the schema of the migrations up to `version`.
DriftReport compare(const Objects& live, const Expected& expected, int version) {
  DriftReport report;
  report.version = version;
  report.objects = std::max(live.size(), expected.objects.size());
  const auto made_by_of = [&](const std::string& key) {
    const auto found = expected.made_by.find(key);
    return found != expected.made_by.end() ? found->second : std::string();
  };
  auto& out = report.differences;
  const auto difference = [](const SchemaObject& object) {
    return Difference{
        object.name, object.relation, object.relation_sql, object.sql_name, "", {}, {}, ""};
  };
  for (const auto& [name, model] : expected.objects) {
    const auto found = live.find(name);
    if (found == live.end()) {
      auto d = difference(model);
      d.model = "present";
      d.made_by = made_by_of(name);
      out.push_back(std::move(d));
      continue;
    }
    std::set<std::string> properties;
    for (const auto& [property, value] : model.properties) properties.insert(property);
    for (const auto& [property, value] : found->second.properties) properties.insert(property);
    for (const auto& property : properties) {
      const auto in_model = value_of(model, property);
      const auto in_database = value_of(found->second, property);
      if (in_model == in_database) continue;
      auto d = difference(model);
      d.property = property;
      d.model = in_model;
      d.database = in_database;
      d.made_by = made_by_of(name + "\n" + property);
      if (d.made_by.empty()) d.made_by = made_by_of(name);
      out.push_back(std::move(d));
    }
  }
  for (const auto& [name, object] : live)
    if (!expected.objects.contains(name)) {
      auto d = difference(object);
      d.database = "present";
      out.push_back(std::move(d));
    }
  // A table or view on one side only: its columns, constraints, indexes ... go without saying.
  std::set<std::string> one_sided, relations;
  for (const auto& d : out)
    for (const auto* kind : {"table ", "view ", "materialized view "})
      if (d.property.empty() && d.object == kind + d.relation) {
        one_sided.insert(d.relation);
        relations.insert(d.object);
      }
  std::erase_if(out, [&](const Difference& d) {
    return d.property.empty() && one_sided.contains(d.relation) && !relations.contains(d.object);
  });
  return report;
}

DriftReport compare(pqxx::connection& database, const std::vector<PlanMigration>& applied,
                    ScratchServer* server) {
  auto live = read_objects(database);
  // A new database has schema public: with nothing applied, the model has nothing to say of it.
  if (applied.empty()) live.erase("schema public");
  const auto replayed = replay(database, applied, server);
  return compare(live, replayed.expected, applied.empty() ? 0 : applied.back().version);
}

// An object of `schema`'s own: the schema itself, and what is shared by the whole database
// (extensions, other schemas), are not.
bool in_schema(const SchemaObject& object, const std::string& schema) {
  if (!object.relation.empty()) return object.relation.starts_with(schema + ".");
  return object.name.find(" " + schema + ".") != std::string::npos;
}

// The tenant's objects in the database, but its history table.
Objects tenant_objects(Objects live, const std::string& schema) {
  const auto history = HistoryTable::in_tenant_schema(schema).display();
  std::erase_if(live, [&](const auto& entry) {
    const auto& object = entry.second;
    return !in_schema(object, schema) || object.relation == history ||
           object.name.find(" " + history) != std::string::npos;
  });
  return live;
}

}  // namespace

DriftReport find_drift(pqxx::connection& database, const std::vector<PlanMigration>& applied) {
  std::optional<ScratchServer> server;
  try {
    if (!applied.empty()) server.emplace();
  } catch (const RuntimeError& e) {
    throw replay_failed(e.what());
  }
  return compare(database, applied, server ? &*server : nullptr);
}

DriftReport find_drift(pqxx::connection& database, const std::vector<PlanMigration>& applied,
                       ScratchServer& server) {
  return compare(database, applied, &server);
}

struct DriftReplays::Replay {
  Replayed replayed;
  std::mutex scratch_mutex;  // a tenant's comparison renames the scratch's default schema
};

DriftReplays::DriftReplays(const Plan& plan) : plan_(plan) {}
DriftReplays::~DriftReplays() = default;

DriftReplays::Replay& DriftReplays::replay_of(pqxx::connection& database,
                                              const std::vector<int>& versions) {
  std::vector<PlanMigration> applied;
  for (const auto version : versions)
    for (const auto& migration : plan_.migrations)
      if (migration.version == version) applied.push_back(migration);
  std::lock_guard lock(mutex_);
  auto& entry = replays_[versions];
  if (!entry) {
    try {
      if (!applied.empty() && !server_) server_.emplace();
    } catch (const RuntimeError& e) {
      replays_.erase(versions);
      throw replay_failed(e.what());
    }
    auto replayed = std::make_unique<Replay>();
    try {
      replayed->replayed = replay(database, applied, server_ ? &*server_ : nullptr);
    } catch (...) {
      replays_.erase(versions);
      throw;
    }
    entry = std::move(replayed);
  }
  return *entry;
}

DriftReport DriftReplays::compare(pqxx::connection& database, const std::vector<int>& applied,
                                  const std::optional<std::string>& tenant_schema) {
  const int version = applied.empty() ? 0 : applied.back();
  const auto& default_schema = plan_.default_schema;
  auto& replay = replay_of(database, applied);
  if (!tenant_schema) {
    auto live = read_objects(database);
    if (applied.empty()) live.erase("schema " + default_schema);
    return mig::compare(live, replay.replayed.expected, version);
  }
  // The replay's catalog read with its default schema renamed to the tenant's, so both sides
  // are PostgreSQL's text for objects of that schema.
  Expected expected;
  if (replay.replayed.scratch) {
    auto& scratch = *replay.replayed.scratch;
    const auto rename = [&](const std::string& from, const std::string& to) {
      pqxx::nontransaction tx{scratch};
      tx.exec("ALTER SCHEMA " + tx.quote_name(from) + " RENAME TO " + tx.quote_name(to));
    };
    std::lock_guard lock(replay.scratch_mutex);
    try {
      rename(default_schema, *tenant_schema);
      try {
        expected.objects = read_objects(scratch);
      } catch (...) {
        rename(*tenant_schema, default_schema);
        throw;
      }
      rename(*tenant_schema, default_schema);
    } catch (const pqxx::failure& e) {
      throw replay_failed(describe_database_error(e));
    }
    for (const auto& [key, made] : replay.replayed.expected.made_by)
      expected.made_by[redisplay(key, default_schema, *tenant_schema)] = made;
  }
  std::erase_if(expected.objects,
                [&](const auto& entry) { return !in_schema(entry.second, *tenant_schema); });
  return mig::compare(tenant_objects(read_objects(database), *tenant_schema), expected, version);
}

std::vector<Difference> touched_by(const std::vector<Difference>& differences,
                                   const std::vector<PlanStep>& steps) {
  std::set<std::string> locked;
  for (const auto& step : steps)
    for (const auto& lock : step.lock.locks) locked.insert(lock.display());
  const auto written = [&](const std::string& name) {
    return !name.empty() && std::any_of(steps.begin(), steps.end(), [&](const PlanStep& step) {
      return step.sql.find(name) != std::string::npos;
    });
  };
  std::vector<Difference> out;
  for (const auto& d : differences) {
    const bool touched = d.relation.empty()
                             ? written(d.sql_name)
                             : locked.contains(d.relation) || written(d.relation_sql);
    if (touched) out.push_back(d);
  }
  return out;
}

namespace {

std::string value_text(const std::optional<std::string>& value) {
  return value ? *value : std::string("none");
}

// For values of more than one line (definitions, queries): the first line that differs.
std::string values_compared(const Difference& d) {
  const auto model = value_text(d.model), database = value_text(d.database);
  const auto made = d.made_by.empty() ? std::string() : " (made by " + d.made_by + ")";
  if (model.find('\n') == std::string::npos && database.find('\n') == std::string::npos)
    return fmt::format("the model says {}{}, the database has {}", model, made, database);
  std::size_t line = 1, m = 0, b = 0;
  while (true) {
    const auto m_end = model.find('\n', m), b_end = database.find('\n', b);
    const auto m_line = model.substr(m, m_end == std::string::npos ? m_end : m_end - m);
    const auto b_line = database.substr(b, b_end == std::string::npos ? b_end : b_end - b);
    if (m_line != b_line || m_end == std::string::npos || b_end == std::string::npos)
      return fmt::format("line {}: the model says `{}`{}, the database has `{}`", line, m_line,
                         made, b_line);
    m = m_end + 1;
    b = b_end + 1;
    ++line;
  }
}

}  // namespace

std::string describe(const Difference& d, int version) {
  if (!d.property.empty())
    return fmt::format("drift: {}: {}: {}", d.object, d.property, values_compared(d));
  if (d.database)
    return fmt::format(
        "drift: {} exists in the database but not in the model (applied version "
        "{:04})",
        d.object, version);
  return fmt::format("drift: {}: the model (made by {}) has it, the database does not", d.object,
                     d.made_by);
}

void print_drift(std::ostream& out, const DriftReport& report, ReportFormat format) {
  if (format == ReportFormat::Json) {
    auto differences = nlohmann::json::array();
    const auto optional = [](const std::optional<std::string>& value) {
      return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    for (const auto& d : report.differences)
      differences.push_back(
          {{"object", d.object},
           {"property", d.property.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.property)},
           {"model", optional(d.model)},
           {"database", optional(d.database)},
           {"made_by", d.made_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.made_by)},
           {"message", describe(d, report.version)}});
    out << nlohmann::json{{"version", report.version},
                          {"objects_compared", report.objects},
                          {"drift", !report.differences.empty()},
                          {"differences", differences}}
               .dump(2)
        << "\n";
    return;
  }
  for (const auto& d : report.differences) out << describe(d, report.version) << "\n";
  if (report.differences.empty())
    out << fmt::format(
        "ok: the database matches its migrations at version {:04} ({} objects compared)\n",
        report.version, report.objects);
  else
    out << fmt::format("{} difference{} between the database and its migrations at version {:04}\n",
                       report.differences.size(), report.differences.size() == 1 ? "" : "s",
                       report.version);
}

}  // namespace mig
