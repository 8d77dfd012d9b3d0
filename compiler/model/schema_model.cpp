#include "compiler/model/schema_model.hpp"

#include <algorithm>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

template <typename Range, typename Name>
auto find_named(Range& range, Name name) -> decltype(&*range.begin()) {
  auto it = std::find_if(range.begin(), range.end(), [&](const auto& x) { return x.name == name; });
  return it == range.end() ? nullptr : &*it;
}

std::string column_list_sql(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quote_ident(c);
  return out;
}

bool expression_mentions(std::string_view prefix, std::string_view expr, std::string_view suffix,
                         std::string_view column) {
  const auto tree = parse_in_context(prefix, expr, suffix);
  if (!std::holds_alternative<nlohmann::json>(tree)) return false;
  const auto refs = column_refs(std::get<nlohmann::json>(tree));
  return std::find(refs.begin(), refs.end(), column) != refs.end();
}

}  // namespace

Column* Table::find_column(std::string_view n) { return find_named(columns, n); }
const Column* Table::find_column(std::string_view n) const { return find_named(columns, n); }
Constraint* Table::find_constraint(std::string_view n) { return find_named(constraints, n); }
const Constraint* Table::find_constraint(std::string_view n) const {
  return find_named(constraints, n);
}
const Index* Table::find_index(std::string_view n) const { return find_named(indexes, n); }
const Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.kind == ConstraintKind::PrimaryKey) return &c;
  return nullptr;
}

Table* SchemaModel::find_table(const ObjectName& n) {
  auto it =
      std::find_if(tables_.begin(), tables_.end(), [&](const Table& t) { return t.name == n; });
  return it == tables_.end() ? nullptr : &*it;
}
const Table* SchemaModel::find_table(const ObjectName& n) const {
  return const_cast<SchemaModel*>(this)->find_table(n);
}
Table& SchemaModel::add_table(Table table) { return tables_.emplace_back(std::move(table)); }
void SchemaModel::remove_table(const ObjectName& n) {
  std::erase_if(tables_, [&](const Table& t) { return t.name == n; });
}

const Table* SchemaModel::table_of_index(const ObjectName& name) const {
  for (const auto& t : tables_)
    if (t.name.schema == name.schema && t.find_index(name.name)) return &t;
  return nullptr;
}

bool SchemaModel::relation_exists(const ObjectName& name) const {
  for (const auto& t : tables_) {
    if (t.name.schema != name.schema) continue;
    if (t.name.name == name.name || t.find_index(name.name)) return true;
    for (const auto& c : t.constraints)
      if ((c.kind == ConstraintKind::PrimaryKey || c.kind == ConstraintKind::Unique) &&
          c.name == name.name)
        return true;
  }
  return false;
}

std::vector<std::pair<const Table*, const Constraint*>> SchemaModel::foreign_keys_to(
    const ObjectName& table, std::optional<std::string_view> column) const {
  std::vector<std::pair<const Table*, const Constraint*>> out;
  for (const auto& t : tables_)
    for (const auto& c : t.constraints) {
      if (c.kind != ConstraintKind::ForeignKey || c.references->table != table) continue;
      const auto& cols = c.references->columns;
      if (!column || std::find(cols.begin(), cols.end(), *column) != cols.end())
        out.emplace_back(&t, &c);
    }
  return out;
}

std::string constraint_sql(const Constraint& c) {
  auto out = fmt::format("CONSTRAINT {} ", Ident{c.name});
  switch (c.kind) {
    case ConstraintKind::PrimaryKey:
      return out + "PRIMARY KEY (" + column_list_sql(c.columns) + ")";
    case ConstraintKind::Unique:
      return out + "UNIQUE (" + column_list_sql(c.columns) + ")";
    case ConstraintKind::Check:
      return out + "CHECK (" + c.check + ")";
    case ConstraintKind::ForeignKey: {
      const auto& r = *c.references;
      out += fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", column_list_sql(c.columns), r.table,
                         column_list_sql(r.columns));
      if (!r.on_delete.empty()) out += " ON DELETE " + r.on_delete;
      if (!r.on_update.empty()) out += " ON UPDATE " + r.on_update;
      return out;
    }
  }
  return out;
}

std::string create_index_sql(const ObjectName& table, const Index& index, bool concurrently,
                             bool if_not_exists) {
  std::string keys;
  for (const auto& k : index.keys) keys += (keys.empty() ? "" : ", ") + k.sql;
  auto out = fmt::format("CREATE {}INDEX {}{}{} ON {}", index.unique ? "UNIQUE " : "",
                         concurrently ? "CONCURRENTLY " : "", if_not_exists ? "IF NOT EXISTS " : "",
                         Ident{index.name}, table);
  if (!index.method.empty()) out += fmt::format(" USING {}", Ident{index.method});
  out += " (" + keys + ")";
  if (!index.where.empty()) out += " WHERE " + index.where;
  return out;
}

std::string column_sql(const Column& c) {
  auto out = fmt::format("{} {}", Ident{c.name}, c.type);
  if (c.identity == Identity::Always) out += " GENERATED ALWAYS AS IDENTITY";
  if (c.identity == Identity::ByDefault) out += " GENERATED BY DEFAULT AS IDENTITY";
  if (c.default_expr) out += " DEFAULT " + *c.default_expr;
  if (c.not_null) out += " NOT NULL";
  return out;
}

bool mentions_column(const Constraint& c, std::string_view column) {
  if (std::find(c.columns.begin(), c.columns.end(), column) != c.columns.end()) return true;
  return c.kind == ConstraintKind::Check &&
         expression_mentions("ALTER TABLE t ADD CHECK (", c.check, ")", column);
}

bool mentions_column(const Index& index, std::string_view column) {
  for (const auto& k : index.keys) {
    if (k.column == column) return true;
    if (!k.column && expression_mentions("CREATE INDEX i ON t (", k.sql, ")", column)) return true;
  }
  return !index.where.empty() &&
         expression_mentions("CREATE INDEX i ON t (x) WHERE ", index.where, "", column);
}

}  // namespace mig
