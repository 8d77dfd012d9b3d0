#pragma once

// What several rules need to read off operations and raw SQL.

#include <string>
#include <vector>

#include "compiler/lint/rule.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

// A column type written in a migration: in a create table, an add column, a type change,
// or raw CREATE TABLE / ALTER TABLE.
struct WrittenType {
  ObjectName table;
  std::string column;
  std::string base;           // PostgreSQL's name: int4, varchar, timestamp, ...
  std::size_t modifiers = 0;  // how many type modifiers, e.g. varchar(20): 1
  bool key = false;           // primary key or foreign key column (as far as written)
  Span span;
};

std::vector<WrittenType> written_types(const Operation&);

// The base type name and modifier count of a type's parse (a tree holding a typeName).
std::pair<std::string, std::size_t> type_shape(const nlohmann::json& tree);

// Where to insert a word after the keyword `word` in `span` of `text`: the offset just
// after the first case-insensitive whole-word match, or nullopt.
std::optional<std::size_t> after_keyword(std::string_view text, Span span, std::string_view word);

ObjectName object_name(const std::string& display);  // "public.users" -> {public, users}

// serial, bigserial and their aliases: an integer with a default from its own sequence.
bool is_serial(std::string_view base_type);

// ---- raw SQL (libpg_query trees)

// The node of a raw statement when it is a `type` statement (e.g. "AlterTableStmt").
const nlohmann::json* statement_node(const nlohmann::json& tree, std::string_view type);
// The table a RangeVar names.
ObjectName relation_of(const nlohmann::json& range_var);
// The AlterTableCmd nodes of an AlterTableStmt node.
std::vector<const nlohmann::json*> alter_commands(const nlohmann::json& alter_table);
// The column constraint of `contype` (CONSTR_NOTNULL, CONSTR_DEFAULT ...) of a ColumnDef.
const nlohmann::json* column_constraint(const nlohmann::json& column_def, std::string_view contype);
// The names in a list of String nodes (fk_attrs, keys, ...).
std::vector<std::string> string_list(const nlohmann::json& list);
// The raw statements of an operation: its `sql { }` upgrade, or none.
const std::vector<RawStatement>& raw_statements(const Operation&);

// A raw ALTER TABLE statement of an operation, on a table that existed before the migration.
struct RawAlterTable {
  const RawStatement& statement;
  const nlohmann::json* node;  // the AlterTableStmt
  ObjectName table;
};
std::vector<RawAlterTable> raw_alters_of_existing(const LintContext&, const Operation&);
// The constraints of the given contypes (e.g. "CONSTR_CHECK") an ALTER TABLE adds, by
// ADD CONSTRAINT or inline in ADD COLUMN.
std::vector<const nlohmann::json*> added_constraints(const nlohmann::json& alter_table,
                                                     std::initializer_list<std::string_view> types);

// ---- .mig text

// The action of an `alter table` operation as written, without `alter table NAME`:
// "add column c text" for both the one-line form and an action inside a block.
std::string action_text(const LintContext&, const Operation&, const TableRef& table);
// The 1-based line of an offset of the migration being linted.
std::size_t line_of(const LintContext&, std::size_t offset);
// "(a, b)"
std::string column_list(const std::vector<std::string>& columns);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace mig
