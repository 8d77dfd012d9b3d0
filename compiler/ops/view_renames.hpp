#pragma once

// PostgreSQL keeps a view working when a table or column it reads is renamed; the model
// follows by rewriting the view's stored query, so that a downgrade that re-creates the
// view from it writes what PostgreSQL now has. A query mig cannot rewrite with certainty
// is marked stale (View::stale), and an operation that would need its text is refused.

#include <string_view>

#include "compiler/model/schema_model.hpp"

namespace mig {

// `table` is about to be renamed to `renamed` (same schema).
void follow_table_rename(SchemaModel&, const ObjectName& table, const ObjectName& renamed,
                         int version);
// Column `column` of `table` is about to be renamed to `new_name`; call it before the model's
// table changes (unqualified references are resolved against the tables' columns).
void follow_column_rename(SchemaModel&, const ObjectName& table, std::string_view column,
                          std::string_view new_name, int version);

}  // namespace mig
