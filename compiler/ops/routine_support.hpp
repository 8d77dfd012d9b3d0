#pragma once

// Shared by the function, trigger, view and policy operations: reading what PostgreSQL's
// parse tree says about a function's signature, and what depends on a column.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/ops/operation.hpp"

namespace mig {

// Every node named `key` in the tree (e.g. every RangeVar), depth first.
std::vector<const nlohmann::json*> nodes_named(const nlohmann::json& tree, std::string_view key);

// The parts of a ColumnRef's name (`t.c`: {"t", "c"}); "*" for a star.
std::vector<std::string> column_ref_parts(const nlohmann::json& column_ref);

// A TypeName node as SQL that names the type: `int4` for pg_catalog types and plain
// lower-case names, `"s"."t"[]` otherwise. Type modifiers are left out: they do not tell functions
// apart.
std::string function_type_sql(const nlohmann::json& type_name);

// The types that identify a function (in, inout and variadic arguments) of a
// CreateFunctionStmt.
std::vector<std::string> identity_argument_types(const nlohmann::json& create_function);

// The function `name(types)` of the model, reporting a missing one (with the overloads
// that exist) at `span`.
const Function* require_function(const SchemaModel&, const ObjectName& name,
                                 const std::vector<std::string>& types, Span span, CheckContext&);

// The function named `name(types)`, or by name alone when no types are written and one
// function has it (`argument_types` is parsed as `DROP FUNCTION f(...)` is); reports a
// missing or ambiguous one at the name.
const Function* named_function(const SchemaModel&, const TableRef& name,
                               const std::optional<SqlFragment>& argument_types, CheckContext&);

// Reports the views that read `table` (or its `column`), which PostgreSQL would not let
// `action` ("drop", "change the type of") go through; false when there is one.
bool require_no_view_reading(const SchemaModel&, const ObjectName& table,
                             std::optional<std::string_view> column, std::string_view action, Span,
                             CheckContext&);
// Reports the triggers of `table` that name `column` (UPDATE OF, WHEN); false when there is one.
bool require_no_trigger_naming(const Table&, std::string_view column, std::string_view action,
                               std::string_view help, Span, CheckContext&);
// Reports the generated columns and policies of `table` whose expressions name `column`;
// false when there is one.
bool require_no_expression_naming(const Table&, std::string_view column, std::string_view action,
                                  Span, CheckContext&);
const Policy* find_policy(const Table&, std::string_view name);

}  // namespace mig
