#include "compiler/effects/sql_effects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/effects/lock_facts.hpp"
#include "compiler/model/partition_bound.hpp"
#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/types.hpp"
#include "compiler/sql/volatility.hpp"

namespace mig {

using nlohmann::json;

namespace {

const json kNone = json::object();
const json kEmpty = json::array();

// A member of a parse-tree node without copying it, or an empty object / array.
const json& object(const json& node, const char* key) {
  const auto it = node.find(key);
  return it == node.end() || !it->is_object() ? kNone : *it;
}
const json& array(const json& node, const char* key) {
  const auto it = node.find(key);
  return it == node.end() || !it->is_array() ? kEmpty : *it;
}
std::string text(const json& node, const char* key) {
  const auto it = node.find(key);
  return it == node.end() || !it->is_string() ? std::string() : it->get<std::string>();
}
bool flag(const json& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

ObjectName relation(const json& range_var) {
  const auto schema = text(range_var, "schemaname");
  return {schema.empty() ? "public" : schema, text(range_var, "relname")};
}

std::vector<std::string> strings(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(text(object(item, "String"), "sval"));
  return out;
}

// schema.name from a name list such as DROP's objects: the last is the name.
ObjectName qualified(const std::vector<std::string>& parts) {
  if (parts.empty()) return {};
  return {parts.size() > 1 ? parts[parts.size() - 2] : "public", parts.back()};
}

bool is_serial(std::string_view base) { return serial_integer(base).has_value(); }

// The type of a TypeName node as SQL text (`varchar(20)[]`), for comparing with the model;
// a name the parser wrote as its catalog name (pg_catalog.int8) in its SQL spelling.
std::string type_text(const json& type_name) {
  const auto names = strings(array(type_name, "names"));
  auto out = names.empty()                                   ? std::string()
             : names.size() == 2 && names[0] == "pg_catalog" ? sql_type_name(names.back())
                                                             : names.back();
  std::vector<std::string> modifiers;
  for (const auto& m : array(type_name, "typmods")) {
    const auto& constant = object(m, "A_Const");
    if (constant.contains("ival"))
      modifiers.push_back(std::to_string(object(constant, "ival").value("ival", 0)));
    else
      modifiers.push_back("?");  // a modifier no type change rule knows: never free
  }
  if (!modifiers.empty()) out += fmt::format("({})", fmt::join(modifiers, ", "));
  for (std::size_t i = 0; i < array(type_name, "arrayBounds").size(); ++i) out += "[]";
  return out;
}

const json* column_constraint(const json& column_def, std::string_view contype) {
  for (const auto& c : array(column_def, "constraints"))
    if (text(object(c, "Constraint"), "contype") == contype) return &c["Constraint"];
  return nullptr;
}

ConstraintKind kind_of(std::string_view contype) {
  if (contype == "CONSTR_PRIMARY") return ConstraintKind::PrimaryKey;
  if (contype == "CONSTR_UNIQUE") return ConstraintKind::Unique;
  if (contype == "CONSTR_FOREIGN") return ConstraintKind::ForeignKey;
  if (contype == "CONSTR_EXCLUSION") return ConstraintKind::Exclusion;
  return ConstraintKind::Check;
}

bool is_table_constraint(std::string_view contype) {
  return contype == "CONSTR_PRIMARY" || contype == "CONSTR_UNIQUE" || contype == "CONSTR_FOREIGN" ||
         contype == "CONSTR_CHECK";
}

// The column a check proves not null: one that is exactly `column IS NOT NULL`.
std::optional<std::string> proves_not_null(const json& check) {
  const auto* test = find_node(check, "NullTest");
  if (!test || test->value("nulltesttype", "") != "IS_NOT_NULL" || find_node(check, "BoolExpr"))
    return std::nullopt;
  const auto columns = column_refs(*test);
  if (columns.size() != 1) return std::nullopt;
  return columns.front();
}

std::optional<std::string> proves_not_null(const Constraint& c) {
  if (c.kind != ConstraintKind::Check) return std::nullopt;
  const auto* tree = tree_of(parse_in_context("ALTER TABLE t ADD CHECK (", c.check, ")"));
  if (!tree) return std::nullopt;
  return proves_not_null(*tree);
}

ConstraintAdded constraint_added(const ObjectName& table, const json& c,
                                 std::vector<std::string> columns) {
  ConstraintAdded out;
  out.table = table;
  out.name = text(c, "conname");
  out.kind = kind_of(text(c, "contype"));
  out.validated = !flag(c, "skip_validation");
  out.using_index = !text(c, "indexname").empty();
  if (c.contains("pktable")) out.references = relation(c["pktable"]);
  auto keys = strings(array(c, out.kind == ConstraintKind::ForeignKey ? "fk_attrs" : "keys"));
  out.columns = keys.empty() ? std::move(columns) : std::move(keys);
  if (out.kind == ConstraintKind::Check) {
    out.proves_not_null = proves_not_null(c);
    out.check = object(c, "raw_expr");
  }
  return out;
}

// The column's type, and its constraints as constraints of the table (which columns are
// keys is marked over the whole statement: mark_keys).
void column_definition(std::vector<Effect>& out, const ObjectName& table, const json& def) {
  const auto& type_name = object(def, "typeName");
  const auto names = strings(array(type_name, "names"));
  const auto base = names.empty() ? std::string() : names.back();
  const auto column = text(def, "colname");
  out.push_back(ColumnTyped{table, column, base, array(type_name, "typmods").size(),
                            !array(type_name, "arrayBounds").empty(), false, is_serial(base)});
  for (const auto& c : array(def, "constraints")) {
    const auto& constraint = object(c, "Constraint");
    if (is_table_constraint(text(constraint, "contype")))
      out.push_back(constraint_added(table, constraint, {column}));
  }
}

// Marks the columns a statement types as keys when another part of it (ADD CONSTRAINT ...
// PRIMARY KEY / FOREIGN KEY) makes them one.
void mark_keys(std::vector<Effect>& effects, std::size_t first) {
  std::vector<std::string> keys;
  for (auto i = first; i < effects.size(); ++i)
    if (const auto* c = std::get_if<ConstraintAdded>(&effects[i]);
        c && (c->kind == ConstraintKind::PrimaryKey || c->kind == ConstraintKind::ForeignKey))
      keys.insert(keys.end(), c->columns.begin(), c->columns.end());
  for (auto i = first; i < effects.size(); ++i)
    if (auto* typed = std::get_if<ColumnTyped>(&effects[i]))
      typed->key |= std::find(keys.begin(), keys.end(), typed->column) != keys.end();
}

// The partition of `parent` that takes the rows no other does, unless `bound` is that one.
std::optional<ObjectName> default_partition(const SchemaModel& before, const ObjectName& parent,
                                            const json& bound) {
  if (flag(bound, "is_default")) return std::nullopt;
  for (const auto* p : before.partitions_of(parent))
    if (p->partition_of->bound == "DEFAULT") return p->name;
  return std::nullopt;
}

// The key column of a partitioned table the model knows, when it is one plain column.
std::optional<std::string> key_column(const SchemaModel& before, const ObjectName& parent) {
  const auto* t = before.find_table(parent);
  if (!t || !t->partitioning || t->partitioning->columns.size() != 1) return std::nullopt;
  return t->partitioning->columns.front();
}

PartitionAttached partition_attached(const SchemaModel& before, const ObjectName& parent,
                                     const ObjectName& partition, const json& bound, bool created) {
  PartitionAttached out{parent,
                        partition,
                        created,
                        !created,
                        default_partition(before, parent, bound),
                        bound,
                        key_column(before, parent)};
  const auto* known = before.find_table(partition);
  if (!created && known && out.key_column)
    out.scans = !checks_imply_bound(valid_check_expressions(*known), *out.key_column, bound);
  return out;
}

void create_table(std::vector<Effect>& out, const json& node, const SchemaModel& before) {
  const auto table = relation(object(node, "relation"));
  const auto first = out.size();
  out.push_back(TableCreated{table});
  const auto& parents = array(node, "inhRelations");
  if (node.contains("partbound") && !parents.empty())
    out.push_back(partition_attached(before, relation(object(parents[0], "RangeVar")), table,
                                     object(node, "partbound"), true));
  for (const auto& e : array(node, "tableElts")) {
    if (e.contains("ColumnDef"))
      column_definition(out, table, e["ColumnDef"]);
    else if (is_table_constraint(text(object(e, "Constraint"), "contype")))
      out.push_back(constraint_added(table, e["Constraint"], {}));
  }
  mark_keys(out, first);
}

const Constraint* model_constraint(const SchemaModel& before, const ObjectName& table,
                                   const std::string& name) {
  const auto* t = before.find_table(table);
  return t ? t->find_constraint(name) : nullptr;
}

std::optional<ObjectName> referenced_by(const Constraint* c) {
  if (c && c->references) return c->references->table;
  return std::nullopt;
}

// Whether a validated check of the table proves the column not null: then SET NOT NULL
// needs no scan (PostgreSQL 12 and later).
bool proven_not_null(const SchemaModel& before, const ObjectName& table,
                     const std::string& column) {
  const auto* t = before.find_table(table);
  if (!t) return false;
  return std::any_of(t->constraints.begin(), t->constraints.end(), [&](const Constraint& c) {
    return c.validated && proves_not_null(c) == column;
  });
}

// The foreign keys of `table` (those using `column`) that go with a dropped table or column.
void dropped_foreign_keys(std::vector<Effect>& out, const SchemaModel& before,
                          const ObjectName& table, std::optional<std::string> column) {
  const auto* t = before.find_table(table);
  if (!t) return;
  for (const auto& c : t->constraints)
    if (c.references && (!column || mentions_column(c, *column)))
      out.push_back(ConstraintDropped{table, c.name, c.references->table});
}

// An ALTER TABLE action no other effect describes, with the lock PostgreSQL's
// AlterTableGetLockLevel gives it.
TableAltered table_altered(const ObjectName& table, std::string action) {
  static const std::map<std::string_view, LockMode, std::less<>> weaker = {
      {"AT_SetStatistics", LockMode::ShareUpdateExclusive},
      {"AT_SetOptions", LockMode::ShareUpdateExclusive},
      {"AT_ResetOptions", LockMode::ShareUpdateExclusive},
      {"AT_ClusterOn", LockMode::ShareUpdateExclusive},
      {"AT_DropCluster", LockMode::ShareUpdateExclusive},
      {"AT_EnableTrig", LockMode::ShareRowExclusive},
      {"AT_EnableAlwaysTrig", LockMode::ShareRowExclusive},
      {"AT_EnableReplicaTrig", LockMode::ShareRowExclusive},
      {"AT_DisableTrig", LockMode::ShareRowExclusive},
      {"AT_EnableTrigAll", LockMode::ShareRowExclusive},
      {"AT_DisableTrigAll", LockMode::ShareRowExclusive},
      {"AT_EnableTrigUser", LockMode::ShareRowExclusive},
      {"AT_DisableTrigUser", LockMode::ShareRowExclusive},
  };
  TableAltered out{table, std::move(action), LockMode::AccessExclusive};
  if (const auto found = weaker.find(out.action); found != weaker.end()) out.mode = found->second;
  // "AT_SetStatistics" -> "SET STATISTICS" for messages
  auto& a = out.action;
  if (a == "AT_SetUnLogged") a = "AT_SetUnlogged";
  if (a.starts_with("AT_")) a.erase(0, 3);
  std::string words;
  for (char c : a) {
    if (std::isupper(static_cast<unsigned char>(c)) && !words.empty()) words += ' ';
    words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  a = words;
  return out;
}

void alter_table(std::vector<Effect>& out, const json& node, const SchemaModel& before) {
  const auto table = relation(object(node, "relation"));
  const auto first = out.size();
  for (const auto& item : array(node, "cmds")) {
    const auto& cmd = object(item, "AlterTableCmd");
    const auto subtype = text(cmd, "subtype");
    const auto name = text(cmd, "name");
    const auto& def = object(cmd, "def");
    if (subtype == "AT_AddColumn" && def.contains("ColumnDef")) {
      const auto& column = def["ColumnDef"];
      ColumnAdded added;
      added.table = table;
      added.column = text(column, "colname");
      added.type = type_text(object(column, "typeName"));
      const auto* default_expr = column_constraint(column, "CONSTR_DEFAULT");
      added.not_null = column_constraint(column, "CONSTR_NOTNULL") ||
                       column_constraint(column, "CONSTR_PRIMARY");
      const auto base = strings(array(object(column, "typeName"), "names"));
      added.identity =
          column_constraint(column, "CONSTR_IDENTITY") || (!base.empty() && is_serial(base.back()));
      added.stored_generated = column_constraint(column, "CONSTR_GENERATED") != nullptr;
      added.has_default = default_expr || added.identity || added.stored_generated;
      added.volatile_default = default_expr && is_volatile(object(*default_expr, "raw_expr"));
      out.push_back(added);
      column_definition(out, table, column);
    } else if (subtype == "AT_DropColumn") {
      out.push_back(ColumnDropped{table, name});
      dropped_foreign_keys(out, before, table, name);
    } else if (subtype == "AT_AlterColumnType") {
      const auto& column = object(def, "ColumnDef");
      ColumnTypeChanged change{
          table, name, {}, type_text(object(column, "typeName")), Rewrite::Unknown};
      const auto* t = before.find_table(table);
      if (const auto* old = t ? t->find_column(name) : nullptr) change.from = old->type;
      if (column.contains("raw_default"))
        change.rewrite = Rewrite::Yes;
      else if (!change.from.empty())
        change.rewrite = type_change_rewrites(change.from, change.to) ? Rewrite::Yes : Rewrite::No;
      out.push_back(change);
      column_definition(out, table, column);
      std::get<ColumnTyped>(out.back()).column = name;
    } else if (subtype == "AT_SetNotNull") {
      out.push_back(NotNullSet{table, name, !proven_not_null(before, table, name)});
    } else if (subtype == "AT_DropNotNull") {
      out.push_back(NotNullDropped{table, name});
    } else if (subtype == "AT_ColumnDefault") {
      out.push_back(DefaultChanged{table, name});
    } else if (subtype == "AT_AddConstraint" && def.contains("Constraint")) {
      const auto& c = def["Constraint"];
      if (text(c, "contype") == "CONSTR_EXCLUSION") {  // builds its index under the lock
        out.push_back(TableAltered{table, "ADD EXCLUDE CONSTRAINT", LockMode::AccessExclusive});
      } else if (text(c, "contype") ==
                 "CONSTR_NOTNULL") {  // PostgreSQL 18: ADD CONSTRAINT ... NOT NULL
        for (const auto& column : strings(array(c, "keys")))
          out.push_back(NotNullSet{table, column, !proven_not_null(before, table, column)});
      } else {
        out.push_back(constraint_added(table, c, {}));
      }
    } else if (subtype == "AT_ValidateConstraint") {
      const auto* known = model_constraint(before, table, name);
      out.push_back(ConstraintValidated{table, name, referenced_by(known),
                                        known ? proves_not_null(*known) : std::nullopt,
                                        known ? check_expression(*known) : json()});
    } else if (subtype == "AT_DropConstraint") {
      out.push_back(
          ConstraintDropped{table, name, referenced_by(model_constraint(before, table, name))});
    } else if (subtype == "AT_AttachPartition") {
      const auto& command = object(def, "PartitionCmd");
      out.push_back(partition_attached(before, table, relation(object(command, "name")),
                                       object(command, "bound"), false));
    } else if (subtype == "AT_DetachPartition") {
      const auto& command = object(def, "PartitionCmd");
      out.push_back(
          PartitionDetached{table, relation(object(command, "name")), flag(command, "concurrent")});
    } else {
      out.push_back(table_altered(table, subtype));
    }
  }
  mark_keys(out, first);
}

void rename(std::vector<Effect>& out, const json& node) {
  const auto type = text(node, "renameType");
  const auto table = relation(object(node, "relation"));
  if (type == "OBJECT_TABLE")
    out.push_back(TableRenamed{table, text(node, "newname")});
  else if (type == "OBJECT_COLUMN")
    out.push_back(ColumnRenamed{table, text(node, "subname"), text(node, "newname")});
  else if (type == "OBJECT_TABCONSTRAINT")
    out.push_back(TableAltered{table, "RENAME CONSTRAINT", LockMode::AccessExclusive});
}

// DROP TABLE of a partitioned table drops its partitions, and theirs.
void dropped_partitions(std::vector<Effect>& out, const SchemaModel& before,
                        const ObjectName& table) {
  for (const auto* p : before.partitions_of(table)) {
    out.push_back(TableDropped{p->name});
    dropped_partitions(out, before, p->name);
  }
}

void drop(std::vector<Effect>& out, const json& node, const SchemaModel& before) {
  const auto type = text(node, "removeType");
  const bool concurrently = flag(node, "concurrent");
  for (const auto& object_node : array(node, "objects")) {
    const auto parts = strings(array(object(object_node, "List"), "items"));
    if (type == "OBJECT_TABLE") {
      out.push_back(TableDropped{qualified(parts)});
      dropped_foreign_keys(out, before, qualified(parts), std::nullopt);
      dropped_partitions(out, before, qualified(parts));
    } else if (type == "OBJECT_INDEX") {
      const auto index = qualified(parts);
      std::optional<ObjectName> table;
      if (const auto* t = before.table_of_index(index)) table = t->name;
      if (const auto* v = before.view_of_index(index)) table = v->name;
      out.push_back(IndexDropped{index.name, table, concurrently});
    } else if (type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW") {
      out.push_back(ViewDropped{qualified(parts)});
    } else if (type == "OBJECT_SEQUENCE") {
      out.push_back(SequenceDropped{qualified(parts)});
    } else if (type == "OBJECT_TRIGGER" && parts.size() >= 2) {
      out.push_back(TriggerDropped{qualified({parts.begin(), parts.end() - 1}), parts.back()});
    } else if (type == "OBJECT_POLICY" && parts.size() >= 2) {
      out.push_back(TableAltered{qualified({parts.begin(), parts.end() - 1}), "DROP POLICY",
                                 LockMode::AccessExclusive});
    }
  }
}

void create_index(std::vector<Effect>& out, const json& node) {
  IndexBuilt index{relation(object(node, "relation")),
                   text(node, "idxname"),
                   flag(node, "concurrent"),
                   flag(node, "unique"),
                   {}};
  for (const auto& e : array(node, "indexParams")) {
    const auto column = text(object(e, "IndexElem"), "name");
    if (column.empty()) break;
    index.columns.push_back(column);
  }
  out.push_back(std::move(index));
}

bool has_option(const json& node, const char* key, std::string_view option) {
  for (const auto& p : array(node, key))
    if (text(object(p, "DefElem"), "defname") == option) return true;
  return false;
}

// Another migration tool's record of which migrations ran.
bool bookkeeping_table(const ObjectName& table) {
  return table.name == "alembic_version" || table.name == "schema_migrations" ||
         table.name == "flyway_schema_history" || table.name == "ar_internal_metadata";
}

void rows_changed(std::vector<Effect>& out, const json& node, RowChange how) {
  const auto table = relation(object(node, "relation"));
  out.push_back(RowsChanged{table, how, false, bookkeeping_table(table)});
}

}  // namespace

std::vector<Effect> sql_effects(const json& statement, const SchemaModel& before) {
  std::vector<Effect> out;
  if (!statement.is_object() || statement.empty()) return out;
  const auto& type = statement.begin().key();
  const auto& node = statement.begin().value();
  if (type == "CreateStmt") {
    create_table(out, node, before);
  } else if (type == "CreateTableAsStmt") {
    out.push_back(TableCreated{relation(object(object(node, "into"), "rel"))});
  } else if (type == "SelectStmt") {
    if (node.contains("intoClause"))
      out.push_back(TableCreated{relation(object(node["intoClause"], "rel"))});
  } else if (type == "AlterTableStmt") {
    if (text(node, "objtype") == "OBJECT_TABLE") alter_table(out, node, before);
  } else if (type == "AlterObjectSchemaStmt") {
    if (node.contains("relation"))
      out.push_back(TableAltered{relation(object(node, "relation")), "SET SCHEMA",
                                 LockMode::AccessExclusive});
  } else if (type == "RenameStmt") {
    rename(out, node);
  } else if (type == "DropStmt") {
    drop(out, node, before);
  } else if (type == "IndexStmt") {
    create_index(out, node);
  } else if (type == "ReindexStmt") {
    const bool concurrently = has_option(node, "params", "concurrently");
    const auto kind = text(node, "kind");
    const auto target = relation(object(node, "relation"));
    if (kind == "REINDEX_OBJECT_TABLE") {
      out.push_back(Reindexed{target, "TABLE " + target.display(), concurrently});
    } else if (kind == "REINDEX_OBJECT_INDEX") {
      const auto* t = before.table_of_index(target);
      out.push_back(Reindexed{t ? std::optional(t->name) : std::nullopt,
                              "INDEX " + target.display(), concurrently});
    } else {
      const auto scope = kind.substr(kind.rfind('_') + 1);  // SCHEMA, DATABASE, SYSTEM
      // The system catalogs are no table of the application's.
      if (scope != "SYSTEM")
        out.push_back(Reindexed{std::nullopt, scope + " " + text(node, "name"), concurrently});
      out.push_back(RunsAlone{"REINDEX " + scope});
    }
    if (concurrently) out.push_back(RunsAlone{"REINDEX CONCURRENTLY"});
  } else if (type == "TruncateStmt") {
    for (const auto& r : array(node, "relations"))
      out.push_back(TableTruncated{relation(object(r, "RangeVar"))});
  } else if (type == "VacuumStmt") {
    if (!flag(node, "is_vacuumcmd")) return out;  // ANALYZE
    const bool full = has_option(node, "options", "full");
    if (full)
      for (const auto& r : array(node, "rels"))
        out.push_back(TableRewritten{relation(object(object(r, "VacuumRelation"), "relation")),
                                     "VACUUM FULL"});
    out.push_back(RunsAlone{full ? "VACUUM FULL" : "VACUUM"});
  } else if (type == "ClusterStmt") {
    if (node.contains("relation"))
      out.push_back(TableRewritten{relation(node["relation"]), "CLUSTER"});
    else
      out.push_back(RunsAlone{"CLUSTER of every table"});
  } else if (type == "LockStmt") {
    // LockStmt.mode is PostgreSQL's LOCKMODE: 1 ACCESS SHARE ... 8 ACCESS EXCLUSIVE.
    const auto mode = static_cast<LockMode>(std::clamp(node.value("mode", 8), 1, 8) - 1);
    for (const auto& r : array(node, "relations"))
      out.push_back(TableLocked{relation(object(r, "RangeVar")), mode});
  } else if (type == "RefreshMatViewStmt") {
    const auto view = relation(object(node, "relation"));
    const auto* known = before.find_view(view);
    out.push_back(MaterializedViewRefreshed{view, flag(node, "concurrent"),
                                            known && refresh_key(*known), flag(node, "skipData")});
  } else if (type == "AlterSeqStmt") {
    out.push_back(SequenceAltered{relation(object(node, "sequence"))});
  } else if (type == "ViewStmt") {
    const auto view = relation(object(node, "view"));
    out.push_back(ViewDefined{view, flag(node, "replace") && before.find_view(view)});
  } else if (type == "CreatePolicyStmt" || type == "AlterPolicyStmt") {
    out.push_back(TableAltered{relation(object(node, "table")),
                               type == "CreatePolicyStmt" ? "CREATE POLICY" : "ALTER POLICY",
                               LockMode::AccessExclusive});
  } else if (type == "CreateTrigStmt") {
    out.push_back(TriggerCreated{relation(object(node, "relation")), text(node, "trigname")});
  } else if (type == "TransactionStmt") {
    const auto kind = text(node, "kind");
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")
      out.push_back(TransactionControl{true});
    else if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK")
      out.push_back(TransactionControl{false});
  } else if (type == "UpdateStmt") {
    rows_changed(out, node, RowChange::Update);
  } else if (type == "DeleteStmt") {
    rows_changed(out, node, RowChange::Delete);
  } else if (type == "InsertStmt") {
    rows_changed(out, node, RowChange::Insert);
  } else if (type == "MergeStmt") {
    rows_changed(out, node, RowChange::Merge);
  } else if (type == "CopyStmt") {
    if (flag(node, "is_from") && node.contains("relation"))
      out.push_back(RowsChanged{relation(node["relation"]), RowChange::Copy, false, false});
  } else if (type == "AlterDomainStmt") {
    const auto& c = object(object(node, "def"), "Constraint");
    if (text(node, "subtype") == "C" && text(c, "contype") == "CONSTR_CHECK") {
      const auto names = strings(array(node, "typeName"));
      out.push_back(DomainConstraintAdded{names.empty() ? std::string() : names.back(),
                                          text(c, "conname"), !flag(c, "skip_validation")});
    }
  } else if (type == "AlterEnumStmt") {
    if (!node.contains("oldVal"))  // RENAME VALUE has one; it takes no table lock
      out.push_back(
          EnumValueAdded{qualified(strings(array(node, "typeName"))), text(node, "newVal")});
  } else if (type == "CommentStmt") {
    // COMMENT ON a relation takes SHARE UPDATE EXCLUSIVE on it; on a column, constraint or
    // trigger, on its table (the list names the table, then the member).
    static const std::set<std::string, std::less<>> relations{
        "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX", "OBJECT_SEQUENCE"};
    static const std::set<std::string, std::less<>> members{"OBJECT_COLUMN", "OBJECT_TABCONSTRAINT",
                                                            "OBJECT_TRIGGER"};
    const auto objtype = text(node, "objtype");
    auto parts = strings(array(object(object(node, "object"), "List"), "items"));
    if (members.contains(objtype) && !parts.empty()) parts.pop_back();
    if (relations.contains(objtype) || members.contains(objtype))
      out.push_back(TableAltered{qualified(parts), "COMMENT", LockMode::ShareUpdateExclusive});
  } else if (type == "DropdbStmt") {
    out.push_back(DatabaseDropped{text(node, "dbname")});
    out.push_back(RunsAlone{"DROP DATABASE"});
  } else if (type == "CreatedbStmt" || type == "AlterSystemStmt" ||
             type == "CreateTableSpaceStmt" || type == "DropTableSpaceStmt") {
    out.push_back(RunsAlone{type});
  }
  return out;
}

std::string sql_step_description(const std::string& sql) {
  auto line = sql.substr(0, sql.find('\n'));
  return "sql: " + (line.size() > 60 ? line.substr(0, 57) + "..." : line);
}

void set_step_facts(PlanStep& step, std::vector<Effect>& effects) {
  if (step.backfill)
    for (auto& e : effects)
      if (auto* rows = std::get_if<RowsChanged>(&e)) rows->batched = true;
  const auto facts = step_facts(effects);
  step.lock = facts.lock;
  step.kind = facts.kind;
  step.transaction = facts.transactional ? std::optional(0) : std::nullopt;
}

std::vector<Effect> describe_step(PlanStep& step, const json& statement,
                                  const SchemaModel& before) {
  auto effects = sql_effects(statement, before);
  set_step_facts(step, effects);
  return effects;
}

}  // namespace mig
