#include "compiler/ops/op_support.hpp"

#include <fmt/ranges.h>

#include <algorithm>

#include "compiler/source/spelling.hpp"
#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

void CheckContext::error(Span span, std::string message, std::string help) {
  out_.push_back({Severity::Error, &file_, span, std::move(message), std::move(help), {}});
  ++errors_;
}

namespace {

// "did you mean `x`?" for the closest of `candidates`, if close enough.
template <typename Range, typename Project>
std::string did_you_mean(std::string_view wanted, Range&& candidates, Project project) {
  const auto best = closest_name(wanted, candidates, project);
  return best.empty() ? std::string() : fmt::format("did you mean `{}`?", best);
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "_") + p;
  return out;
}

bool same_columns(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Whether `columns` of `table` are covered by a primary key, unique constraint or
// unique plain index, as PostgreSQL requires of a foreign key's referenced columns.
bool is_unique_key(const Table& table, const std::vector<std::string>& columns) {
  for (const auto& c : table.constraints)
    if ((c.kind == ConstraintKind::PrimaryKey || c.kind == ConstraintKind::Unique) &&
        c.deferral == Deferral::None && same_columns(c.columns, columns))
      return true;
  for (const auto& i : table.indexes) {
    if (!i.unique || !i.where.empty()) continue;
    std::vector<std::string> keys;
    for (const auto& k : i.keys)
      if (k.column) keys.push_back(*k.column);
    if (keys.size() == i.keys.size() && same_columns(keys, columns)) return true;
  }
  return false;
}

std::string column_list(const Table& table) {
  std::string out;
  for (const auto& c : table.columns) out += fmt::format("{}`{}`", out.empty() ? "" : ", ", c.name);
  return out;
}

// Where a column reference of a check expression is in the source. The parser checked the
// expression as `ALTER TABLE t ADD CHECK (expr)`; when comments were cut from it, offsets
// in the parsed text are no longer offsets in the source, and the whole expression is shown.
Span reference_span(const SqlFragment& check, const ColumnReference& ref, CheckContext& ctx) {
  constexpr std::string_view kParsedBefore = "ALTER TABLE t ADD CHECK (";
  const auto written = ctx.file_text(check.span);
  if (written != check.text || ref.offset < kParsedBefore.size()) return check.span;
  const auto offset = ref.offset - kParsedBefore.size();
  auto end = offset + ref.name.size();
  if (written[offset] == '"') {  // a quoted name ends at a quote that is not doubled
    end = offset + 1;
    while (end < written.size() &&
           (written[end] != '"' || (end + 1 < written.size() && written[end + 1] == '"')))
      end += written[end] == '"' ? 2 : 1;
    ++end;
  }
  end = std::min(end, written.size());
  return {check.span.begin + offset, check.span.begin + end};
}

// Every column a check expression uses must be a column of the table (`tableoid`, a system
// column, is allowed too).
void require_check_columns(const Table& table, const SqlFragment& check, CheckContext& ctx) {
  for (const auto& ref : column_references(*check.tree)) {
    if (table.find_column(ref.name) || ref.name == "tableoid") continue;
    const auto suggestion =
        did_you_mean(ref.name, table.columns, [](const Column& c) { return c.name; });
    ctx.error(
        reference_span(check, ref, ctx),
        fmt::format("column `{}` does not exist in table `{}`", ref.name, table.name.display()),
        fmt::format("{}{}the columns of `{}` are {}", suggestion, suggestion.empty() ? "" : " ",
                    table.name.display(), column_list(table)));
  }
}

// PostgreSQL refuses a foreign key between columns whose types the referenced key's index
// cannot compare (`text` to `bigint`).
void require_comparable_types(const Table& table, const std::vector<std::string>& columns,
                              const Table& target, const std::vector<std::string>& referenced,
                              Span span, CheckContext& ctx) {
  for (std::size_t i = 0; i < columns.size() && i < referenced.size(); ++i) {
    const auto* from = table.find_column(columns[i]);
    const auto* to = target.find_column(referenced[i]);
    if (!from || !to || !foreign_key_types_incompatible(from->type, to->type)) continue;
    ctx.error(span,
              fmt::format("foreign key column `{}` of type `{}` cannot reference `{}.{}` of "
                          "type `{}`: the referenced key's index has no equality operator "
                          "for the two types",
                          from->name, from->type, target.name.display(), to->name, to->type),
              fmt::format("give `{}` the type `{}`", from->name, to->type));
  }
}

}  // namespace

const Table* require_table(const SchemaModel& model, const TableRef& ref, CheckContext& ctx) {
  if (const auto* t = model.find_table(ref.name)) return t;
  ctx.error(ref.span, fmt::format("table `{}` does not exist", ref.name.display()),
            did_you_mean(ref.name.display(), model.tables(),
                         [](const Table& t) { return t.name.display(); }));
  return nullptr;
}

const Column* require_column(const Table& table, const NameRef& ref, CheckContext& ctx) {
  if (const auto* c = table.find_column(ref.value)) return c;
  ctx.error(
      ref.span,
      fmt::format("column `{}` does not exist in table `{}`", ref.value, table.name.display()),
      did_you_mean(ref.value, table.columns, [](const Column& c) { return c.name; }));
  return nullptr;
}

const Constraint* require_constraint(const Table& table, const NameRef& ref, CheckContext& ctx) {
  if (const auto* c = table.find_constraint(ref.value)) return c;
  ctx.error(
      ref.span,
      fmt::format("constraint `{}` does not exist on table `{}`", ref.value, table.name.display()),
      did_you_mean(ref.value, table.constraints, [](const Constraint& c) { return c.name; }));
  return nullptr;
}

bool require_type(const SchemaModel& model, const SqlFragment& type, CheckContext& ctx,
                  bool creates_column) {
  const auto name = type_name(type.text);
  if (!name) return true;  // not a type the parser accepts: already reported
  if (name->serial) {
    if (creates_column) return true;
    const auto integer = sql_type_name(name->name);
    ctx.error(type.span, fmt::format("`{}` can only be the type of a new column", type.text),
              fmt::format("write `{}`: a serial type's sequence is made only where the column "
                          "is created",
                          integer));
    return false;
  }
  const bool catalog = name->schema.empty() || name->schema == "pg_catalog";
  if (catalog && is_builtin_type(name->name)) return true;
  const ObjectName object{name->schema.empty() ? "public" : name->schema, name->name};
  if (name->schema != "pg_catalog") {
    // After an extension or raw SQL that creates types, the model cannot list them all.
    if (model.find_table(object) || model.find_enum(object) || model.may_have_unknown_types())
      return true;
    // A qualified type in a schema the model does not list (made by a `do` block, or left
    // to the database) is taken on trust.
    if (!name->schema.empty() && !model.schemas().contains(name->schema)) return true;
  }
  auto suggestion = catalog ? builtin_type_suggestion(name->name) : std::string();
  if (suggestion.empty() && name->schema != "pg_catalog")
    suggestion = closest_name(object.display(), model.enums(),
                              [](const auto& entry) { return entry.first.display(); });
  const auto written = catalog ? name->name : object.display();
  ctx.error(type.span, fmt::format("type `{}` does not exist", written),
            suggestion.empty()
                ? "create it first: `create type ... as enum (...)`, `create extension ...`, or "
                  "an earlier `sql { }` block (`create domain`, composite types)"
                : fmt::format("did you mean `{}`?", suggestion));
  return false;
}

const EnumType* require_enum(const SchemaModel& model, const TableRef& ref, CheckContext& ctx) {
  if (const auto* t = model.find_enum(ref.name)) return t;
  const auto suggestion = did_you_mean(ref.name.display(), model.enums(),
                                       [](const auto& entry) { return entry.first.display(); });
  ctx.error(ref.span, fmt::format("enum type `{}` does not exist", ref.name.display()),
            suggestion.empty() ? "mig knows the enum types made by `create type ... as enum`"
                               : suggestion);
  return nullptr;
}

bool require_enum_value(const EnumType& type, const ast::EnumLabel& label, CheckContext& ctx) {
  if (std::find(type.values.begin(), type.values.end(), label.value) != type.values.end())
    return true;
  const auto suggestion = did_you_mean(label.value, type.values, [](const auto& v) { return v; });
  std::string values;
  for (const auto& v : type.values) values += fmt::format("{}'{}'", values.empty() ? "" : ", ", v);
  ctx.error(
      label.span, fmt::format("enum type `{}` has no value '{}'", type.name.display(), label.value),
      fmt::format("{}{}its values are {}", suggestion, suggestion.empty() ? "" : " ", values));
  return false;
}

PlanStep step(std::string description, std::string sql) {
  PlanStep s;
  s.description = std::move(description);
  s.sql = std::move(sql);
  return s;
}

std::string alter_table_sql(const ObjectName& table, std::string_view action) {
  return fmt::format("ALTER TABLE {} {}", table, action);
}

std::vector<ConstraintSpec> inline_constraints(const ColumnSpec& column) {
  std::vector<ConstraintSpec> out;
  const std::vector<NameRef> columns{column.name};
  if (column.primary_key)
    out.push_back({ConstraintKind::PrimaryKey, {}, columns, {}, {}, {}, false, column.span});
  if (column.unique)
    out.push_back({ConstraintKind::Unique,
                   {},
                   columns,
                   {},
                   {},
                   {},
                   false,
                   column.span,
                   Deferral::None,
                   column.unique_nulls_not_distinct});
  if (column.check)
    out.push_back(
        {ConstraintKind::Check, {}, columns, column.check, {}, {}, false, column.check->span});
  if (column.references)
    out.push_back({ConstraintKind::ForeignKey,
                   {},
                   columns,
                   {},
                   column.references,
                   {},
                   false,
                   column.references->span});
  return out;
}

void move_table(SchemaModel& model, const ObjectName& from, const ObjectName& to) {
  model.edit_tables_referencing(from, [&](Table& t) {
    for (auto& c : t.constraints)
      if (c.references && c.references->table == from) c.references->table = to;
  });
  for (const auto* s : model.sequences_owned_by(from)) {
    auto owned = *s;
    model.remove_sequence(owned.name);
    owned.name.schema = to.schema;
    owned.owned_by->table = to;
    model.put_sequence(std::move(owned));
  }
  model.edit_table(from, [&](Table& t) { t.name = to; });
}

bool require_relation_rename(const SchemaModel& model, const ObjectName& relation,
                             const TableRef& new_name, std::string_view kind, CheckContext& ctx) {
  if (ctx.file_text(new_name.span).find('.') != std::string::npos &&
      new_name.name.schema != relation.schema) {
    ctx.error(new_name.span, fmt::format("a rename cannot move {} to another schema", kind));
    return false;
  }
  const ObjectName target{relation.schema, new_name.name.name};
  if (model.relation_exists(target)) {
    ctx.error(new_name.span,
              fmt::format("`{}` is already the name of a table or index", target.display()));
    return false;
  }
  return true;
}

bool require_consistent(const ColumnSpec& spec, CheckContext& ctx) {
  const int errors = ctx.errors();
  if (spec.explicit_null && (spec.not_null || spec.primary_key))
    ctx.error(spec.span,
              fmt::format("column `{}` is declared both `null` and `not null`", spec.name.value));
  if (spec.identity != Identity::None && spec.default_expr)
    ctx.error(spec.default_expr->span,
              fmt::format("identity column `{}` cannot have a default", spec.name.value));
  if (spec.generated && (spec.default_expr || spec.identity != Identity::None))
    ctx.error(spec.generated->span,
              fmt::format("generated column `{}` cannot have a default or be an identity column",
                          spec.name.value));
  return ctx.errors() == errors;
}

void require_generation_columns(const Table& table, const ColumnSpec& spec, CheckContext& ctx) {
  if (!spec.generated) return;
  require_check_columns(table, *spec.generated, ctx);
  for (const auto& ref : column_references(*spec.generated->tree)) {
    const auto* used = table.find_column(ref.name);
    if (used && used->generated)
      ctx.error(reference_span(*spec.generated, ref, ctx),
                fmt::format("generated column `{}` cannot use generated column `{}`",
                            spec.name.value, ref.name),
                "write the other column's expression instead");
  }
}

Column column_from(const ColumnSpec& spec) {
  Column c;
  c.name = spec.name.value;
  c.type = spec.type.text;
  c.not_null = spec.not_null || spec.primary_key || spec.identity != Identity::None;
  if (spec.default_expr) c.default_expr = spec.default_expr->text;
  c.identity = spec.identity;
  c.not_null |= is_serial(c);
  if (spec.generated) {
    c.generated = Column::Generated{spec.generated->text, {}};
    for (const auto& ref : column_references(*spec.generated->tree))
      c.generated->columns.push_back(ref.name);
  }
  return c;
}

void drop_redundant_unique(std::vector<Constraint>& constraints, std::size_t first_new) {
  std::vector<std::vector<std::string>> indexed;
  for (auto i = first_new; i < constraints.size(); ++i)
    if (constraints[i].kind == ConstraintKind::PrimaryKey)
      indexed.push_back(constraints[i].columns);
  for (auto i = first_new; i < constraints.size();) {
    const auto& c = constraints[i];
    if (c.kind != ConstraintKind::Unique) {
      ++i;
    } else if (std::find(indexed.begin(), indexed.end(), c.columns) != indexed.end()) {
      constraints.erase(constraints.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      indexed.push_back(c.columns);
      ++i;
    }
  }
}

std::optional<Constraint> resolve_constraint(const SchemaModel& model, const Table& table,
                                             const ConstraintSpec& spec, CheckContext& ctx,
                                             int version) {
  const int errors_before = ctx.errors();
  Constraint c;
  c.kind = spec.kind;
  c.version = version;
  c.validated = !spec.not_valid;
  c.deferral = spec.references ? spec.references->deferral : spec.deferral;
  c.nulls_not_distinct = spec.nulls_not_distinct;
  for (const auto& col : spec.columns) {
    require_column(table, col, ctx);
    c.columns.push_back(col.value);
  }
  if (spec.not_valid && spec.kind == ConstraintKind::Exclusion)
    ctx.error(spec.span, "`not valid` applies only to check and foreign key constraints",
              "an exclusion constraint is checked by building its index");
  if (spec.not_valid &&
      (spec.kind == ConstraintKind::PrimaryKey || spec.kind == ConstraintKind::Unique))
    ctx.error(spec.span, "`not valid` applies only to check and foreign key constraints",
              "a unique or primary key constraint is validated by its index; build that index "
              "`concurrently` and attach it with `using index`");

  if (spec.using_index) {
    const auto* index = table.find_index(spec.using_index->name.name);
    if (!index || spec.using_index->name.schema != table.name.schema) {
      ctx.error(spec.using_index->span,
                fmt::format("index `{}` does not exist on table `{}`",
                            spec.using_index->name.display(), table.name.display()));
    } else {
      const bool plain = std::all_of(index->keys.begin(), index->keys.end(),
                                     [](const IndexKey& k) { return k.column.has_value(); });
      const bool extras =
          !index->include.empty() || index->nulls_not_distinct || !index->with.empty();
      if (!index->unique || !index->where.empty() || !plain || !index->method.empty() || extras)
        ctx.error(spec.using_index->span,
                  fmt::format("index `{}` cannot back a constraint", index->name),
                  "it must be a unique btree index on plain columns, without `where`, "
                  "`include`, `nulls not distinct` or `with`");
      for (const auto& k : index->keys)
        if (k.column) c.columns.push_back(*k.column);
    }
  }

  if (spec.kind == ConstraintKind::Check) {
    c.check = spec.check->text;
    require_check_columns(table, *spec.check, ctx);
  }
  if (spec.exclusion) {
    const auto& written = *spec.exclusion;
    for (std::size_t i = 0; i < written.keys.size(); ++i)
      if (const auto& column = written.keys[i].column;
          column && require_column(table, {*column, written.key_fragments[i].span}, ctx))
        c.columns.push_back(*column);
    if (written.where) require_check_columns(table, *written.where, ctx);
    c.exclusion = Exclusion{written.method, written.keys, written.operators,
                            written.where ? written.where->text : ""};
  }
  if (spec.kind == ConstraintKind::PrimaryKey && table.primary_key())
    ctx.error(spec.span, fmt::format("table `{}` already has a primary key `{}`",
                                     table.name.display(), table.primary_key()->name));

  if (spec.references) {
    const auto& ref = *spec.references;
    const Table* target =
        ref.table.name == table.name ? &table : require_table(model, ref.table, ctx);
    ForeignKeyTarget fk{ref.table.name, {}, ref.on_delete, ref.on_update, {}};
    for (const auto& col : ref.set_columns) {
      if (std::find(c.columns.begin(), c.columns.end(), col.value) == c.columns.end())
        ctx.error(col.span,
                  fmt::format("column `{}` is not a column of this foreign key", col.value),
                  fmt::format("`on delete {} (...)` sets only columns of the key: {}",
                              ref.on_delete == "SET NULL" ? "set null" : "set default",
                              fmt::join(c.columns, ", ")));
      else
        fk.set_columns.push_back(col.value);
    }
    if (target) {
      for (const auto& col : ref.columns)
        if (require_column(*target, col, ctx)) fk.columns.push_back(col.value);
      if (ref.columns.empty()) {
        if (const auto* pk = target->primary_key())
          fk.columns = pk->columns;
        else
          ctx.error(
              ref.table.span,
              fmt::format("table `{}` has no primary key to reference", target->name.display()),
              "name the referenced columns: `references table (column)`");
      }
      if (!fk.columns.empty() && fk.columns.size() != c.columns.size())
        ctx.error(ref.span, fmt::format("{} referencing column(s) but {} referenced column(s)",
                                        c.columns.size(), fk.columns.size()));
      else if (ctx.errors() == errors_before && !is_unique_key(*target, fk.columns))
        ctx.error(
            ref.span,
            fmt::format("the referenced columns of `{}` are not a primary key or unique",
                        target->name.display()),
            "a foreign key must reference a primary key, a unique constraint or a unique index, "
            "not deferrable");
      else if (ctx.errors() == errors_before)
        require_comparable_types(table, c.columns, *target, fk.columns, ref.span, ctx);
      if (target->unlogged && !table.unlogged)
        ctx.error(ref.span,
                  fmt::format("table `{}` is unlogged: only an unlogged table may reference it",
                              target->name.display()),
                  "PostgreSQL empties an unlogged table after a crash, which would break the "
                  "foreign key");
    }
    c.references = fk;
  }

  if (spec.name) {
    c.name = spec.name->value;
  } else if (spec.using_index) {
    c.name = spec.using_index->name.name;
  } else {
    const auto& t = table.name.name;
    switch (spec.kind) {
      case ConstraintKind::PrimaryKey:
        c.name = t + "_pkey";
        break;
      case ConstraintKind::Unique:
        c.name = t + "_" + joined(c.columns) + "_key";
        break;
      case ConstraintKind::ForeignKey:
        c.name = t + "_" + joined(c.columns) + "_fkey";
        break;
      case ConstraintKind::Check:
        c.name = t + (c.columns.size() == 1 ? "_" + c.columns[0] : "") + "_check";
        break;
      case ConstraintKind::Exclusion:
        c.name = t + "_" + joined(c.columns) + "_excl";
        if (std::any_of(c.exclusion->keys.begin(), c.exclusion->keys.end(),
                        [](const IndexKey& k) { return !k.column; }))
          ctx.error(spec.span,
                    "name this exclusion constraint: it has an expression among its keys",
                    "write `exclude NAME using ...`");
        break;
    }
  }
  if (spec.kind == ConstraintKind::Check) c.columns.clear();
  const Span name_span = spec.name ? spec.name->span : spec.span;
  if (c.name.size() > kMaxIdentifier)
    ctx.error(
        name_span,
        fmt::format("constraint name `{}` is longer than {} bytes; PostgreSQL would truncate it",
                    c.name, kMaxIdentifier),
        "give the constraint a shorter name");
  if (table.find_constraint(c.name))
    ctx.error(
        name_span,
        fmt::format("constraint `{}` already exists on table `{}`", c.name, table.name.display()),
        spec.name ? "" : "name the constraint");
  else if (owns_index(c) && !spec.using_index && model.relation_exists({table.name.schema, c.name}))
    ctx.error(name_span,
              fmt::format("`{}` is already the name of a table or index in schema `{}`; the "
                          "constraint's index needs it",
                          c.name, table.name.schema),
              "name the constraint");
  if (ctx.errors() != errors_before) return std::nullopt;
  return c;
}

}  // namespace mig

namespace mig {

namespace {

// Whether CREATE TABLE can declare `c` as it is: a constraint not yet validated, or a
// unique on the same columns as the primary key or an earlier unique (which CREATE TABLE
// would not create, see drop_redundant_unique) is added after the table.
bool inline_in_create_table(const Table& table, const Constraint& c) {
  if (!c.validated) return false;
  if (c.kind != ConstraintKind::Unique) return true;
  if (const auto* pk = table.primary_key(); pk && pk->columns == c.columns) return false;
  for (const auto& other : table.constraints) {
    if (&other == &c) return true;
    if (other.kind == ConstraintKind::Unique && other.columns == c.columns) return false;
  }
  return true;
}

}  // namespace

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void append(std::vector<PlanStep>& steps, std::vector<PlanStep> more) {
  steps.insert(steps.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
}

std::string partition_of_sql(const Table& partition) {
  return fmt::format("CREATE TABLE {} PARTITION OF {} {}{}", partition.name,
                     partition.partition_of->parent, partition.partition_of->bound,
                     partition_by_sql(partition.partitioning));
}

std::string partition_by_sql(const std::optional<Partitioning>& partitioning) {
  if (!partitioning) return "";
  return fmt::format(" PARTITION BY {} {}", to_sql(partitioning->strategy), partitioning->key);
}

std::vector<PlanStep> create_table_steps(const Table& table) {
  // A partition's columns are its parent's; its own constraints are added after it.
  const bool partition = table.partition_of.has_value();
  const auto inline_constraint = [&](const Constraint& c) {
    return !partition && inline_in_create_table(table, c);
  };
  std::string body;
  for (const auto& c : table.columns)
    body += (body.empty() ? "\n  " : ",\n  ") + column_sql(table.name, c);
  for (const auto& c : table.constraints)
    if (inline_constraint(c)) body += ",\n  " + constraint_sql(c);
  std::vector<PlanStep> steps;
  for (const auto& c : table.columns)
    if (const auto sequence = serial_sequence_sql(table, c); sequence && !partition)
      steps.push_back(sequence_step(*c.sequence, sequence->first));
  steps.push_back(
      step(fmt::format("create table {}", table.name.display()),
           partition ? partition_of_sql(table)
                     : fmt::format("CREATE {}TABLE {} ({}\n){}", table.unlogged ? "UNLOGGED " : "",
                                   table.name, body, partition_by_sql(table.partitioning))));
  for (const auto& c : table.columns)
    if (const auto sequence = serial_sequence_sql(table, c); sequence && !partition)
      steps.push_back(sequence_step(*c.sequence, sequence->second));
  for (const auto& c : table.constraints)
    if (!inline_constraint(c)) append(steps, add_constraint_steps(table.name, c));
  for (const auto& i : table.indexes) {
    steps.push_back(step(fmt::format("create index {} on {}", i.name, table.name.display()),
                         create_index_sql(table.name, i, false)));
    add_comment_step(steps, object_ref("index", {table.name.schema, i.name}), i.comment);
  }
  add_comment_step(steps, object_ref("table", table.name), table.comment);
  for (const auto& c : table.columns)
    add_comment_step(steps, column_ref(table.name, c.name), c.comment);
  for (const auto& c : table.constraints)
    if (inline_constraint(c))
      add_comment_step(steps, member_ref("constraint", c.name, table.name), c.comment);
  append(steps, access_steps(table));
  if (!partition)
    for (const auto& c : table.columns) append(steps, column_sequence_grant_steps(table.name, c));
  return steps;
}

PlanStep grant_step(bool revoke, std::string_view object, std::string_view name,
                    const std::string& role, const Grants::Privileges& privileges) {
  return step(fmt::format("{} {} on {} {} {}", revoke ? "revoke" : "grant",
                          privilege_list(privileges), name, revoke ? "from" : "to", role),
              grant_sql(revoke, object, {role}, privileges));
}

std::vector<PlanStep> grant_steps(std::string_view object, std::string_view name,
                                  const Grants& grants, const Grants& initial) {
  std::vector<PlanStep> steps;
  const auto change = [&](bool revoke, const std::string& role,
                          const Grants::Privileges& privileges) {
    steps.push_back(grant_step(revoke, object, name, role, privileges));
  };
  const auto missing = [](const Grants::Privileges& wanted, const Grants::Privileges& held) {
    Grants::Privileges out;
    for (const auto& p : wanted)
      if (!held.contains(p)) out.insert(p);
    return out;
  };
  for (const auto& [role, privileges] : initial.by_role())
    if (const auto gone = missing(privileges, grants.held(role)); !gone.empty())
      change(true, role, gone);
  for (const auto& [role, privileges] : grants.by_role())
    if (const auto added = missing(privileges, initial.held(role)); !added.empty())
      change(false, role, added);
  return steps;
}

std::vector<PlanStep> create_view_steps(const View& view, std::string description) {
  const auto kind = view.materialized ? "materialized view" : "view";
  if (description.empty()) description = fmt::format("create {} {}", kind, view.name.display());
  std::vector<PlanStep> steps{step(std::move(description), create_view_sql(view, false))};
  add_comment_step(steps, object_ref(kind, view.name), view.comment);
  for (const auto& i : view.indexes) append(steps, create_index_steps(view.name, i));
  for (auto& s : grant_steps(fmt::format("TABLE {}", view.name), view.name.display(), view.grants))
    steps.push_back(std::move(s));
  return steps;
}

std::vector<PlanStep> access_steps(const Table& table) {
  std::vector<PlanStep> steps;
  const auto& rls = table.row_security;
  const auto name = table.name.display();
  if (rls.enabled)
    steps.push_back(step(fmt::format("enable row level security on {}", name),
                         alter_table_sql(table.name, "ENABLE ROW LEVEL SECURITY")));
  if (rls.forced)
    steps.push_back(step(fmt::format("force row level security on {}", name),
                         alter_table_sql(table.name, "FORCE ROW LEVEL SECURITY")));
  for (const auto& p : rls.policies)
    steps.push_back(step(fmt::format("create policy {} on {}", p.name, name),
                         create_policy_sql(fmt::format("{}", table.name), p)));
  for (auto& s : grant_steps(fmt::format("TABLE {}", table.name), name, table.grants))
    steps.push_back(std::move(s));
  return steps;
}

std::vector<PlanStep> column_sequence_grant_steps(const ObjectName& table, const Column& column) {
  if (!column.sequence) return {};
  const auto target = object_ref("sequence", {table.schema, *column.sequence});
  return grant_steps(target.sql, target.display, column.sequence_grants);
}

std::vector<PlanStep> add_constraint_steps(const ObjectName& table, const Constraint& c) {
  std::vector<PlanStep> steps{
      step(fmt::format("add constraint {} to {}", c.name, table.display()),
           alter_table_sql(table, "ADD " + constraint_sql(c) + (c.validated ? "" : " NOT VALID")))};
  add_comment_step(steps, member_ref("constraint", c.name, table), c.comment);
  return steps;
}

PlanStep sequence_step(const std::string& sequence, std::string sql) {
  return step(fmt::format("serial sequence {}", sequence), std::move(sql));
}

ObjectRef object_ref(std::string_view kind, const ObjectName& name) {
  return {fmt::format("{} {}", upper(kind), name), fmt::format("{} {}", kind, name.display())};
}

ObjectRef schema_ref(const std::string& schema) {
  return {fmt::format("SCHEMA {}", Ident{schema}), "schema " + schema};
}

ObjectRef column_ref(const ObjectName& table, std::string_view column) {
  return {fmt::format("COLUMN {}.{}", table, Ident{column}),
          fmt::format("column {}.{}", table.display(), column)};
}

ObjectRef member_ref(std::string_view kind, std::string_view name, const ObjectName& table) {
  return {fmt::format("{} {} ON {}", upper(kind), Ident{name}, table),
          fmt::format("{} {} on {}", kind, name, table.display())};
}

ObjectRef function_ref(const Function& function) {
  return {"FUNCTION " + function.identity_sql(), "function " + function.signature()};
}

PlanStep comment_step(const ObjectRef& target, const std::optional<std::string>& comment,
                      std::string_view prefix) {
  return step(fmt::format("{}comment on {}", prefix, target.display),
              comment_sql(target.sql, comment));
}

void add_comment_step(std::vector<PlanStep>& steps, const ObjectRef& target,
                      const std::optional<std::string>& comment) {
  if (comment) steps.push_back(comment_step(target, comment));
}

std::vector<PlanStep> create_enum_steps(const EnumType& type) {
  std::vector<PlanStep> steps{
      step(fmt::format("create type {}", type.name.display()), create_enum_sql(type))};
  add_comment_step(steps, object_ref("type", type.name), type.comment);
  return steps;
}

PlanStep drop_view_step(const View& view) {
  return step(
      fmt::format("drop {}view {}", view.materialized ? "materialized " : "", view.name.display()),
      fmt::format("DROP {}VIEW {}", view.materialized ? "MATERIALIZED " : "", view.name));
}

PlanStep drop_index_step(const ObjectName& relation, const std::string& index,
                         std::string_view why) {
  return step(fmt::format("drop index {}{}", index, why),
              fmt::format("DROP INDEX {}", ObjectName{relation.schema, index}));
}

PlanStep drop_constraint_step(const ObjectName& table, const std::string& constraint,
                              std::string_view why) {
  return step(fmt::format("drop constraint {} from {}{}", constraint, table.display(), why),
              alter_table_sql(table, fmt::format("DROP CONSTRAINT {}", Ident{constraint})));
}

std::vector<PlanStep> create_index_steps(const ObjectName& table, const Index& index) {
  std::vector<PlanStep> steps{
      step(fmt::format("re-create index {} on {}", index.name, table.display()),
           create_index_sql(table, index, false))};
  add_comment_step(steps, object_ref("index", {table.schema, index.name}), index.comment);
  return steps;
}

std::vector<PlanStep> create_trigger_steps(const ObjectName& table, const Trigger& trigger) {
  std::vector<PlanStep> steps{
      step(fmt::format("create trigger {} on {}", trigger.name, table.display()),
           create_trigger_sql(table, trigger))};
  add_comment_step(steps, member_ref("trigger", trigger.name, table), trigger.comment);
  return steps;
}

}  // namespace mig
