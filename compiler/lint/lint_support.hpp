#pragma once

// What several rules need: names and places in the migration's text, and advice text.

#include <optional>
#include <string>
#include <vector>

#include "compiler/lint/rule.hpp"

namespace mig {

// A table as a user writes it in a migration: `users`, `auth.users`, `"Odd Name"`.
std::string written(const ObjectName&);
// A name as a user writes it: bare when PostgreSQL keeps it as is, quoted otherwise.
std::string written(std::string_view name);

// Where to insert a word after the keyword `word` in `span` of `text`: the offset just
// after the first case-insensitive whole-word match, or nullopt.
std::optional<std::size_t> after_keyword(std::string_view text, Span span, std::string_view word);

// The first place `name` is written (bare or quoted) in the statement, for pointing at one
// column of a long statement; the whole statement when it is not found.
Span span_of_name(const LintContext&, const PlannedStatement&, std::string_view name);

// Whether the statement changes the type of a column of `table`: PostgreSQL then rewrites
// it under ACCESS EXCLUSIVE, and the checks and indexes the statement drops and re-creates
// around the change add no lock of their own (type-change-rewrite reports the statement).
bool changes_column_type(const PlannedStatement&, const ObjectName& table);

// Whether SET NOT NULL scans the table: the schema model before the statement knows no
// validated check proving the column, and neither did an earlier statement of the migration
// add one validated or validate one (raw SQL does not change the model).
bool set_not_null_scans(const LintContext&, const PlannedStatement&, const NotNullSet&);

// The table of a dropped index: as the model knows it, or as an earlier statement of the
// migration built it.
std::optional<ObjectName> table_of_dropped(const LintContext&, const PlannedStatement&,
                                           const IndexDropped&);

// The 1-based line of an offset of the migration being linted.
std::size_t line_of(const LintContext&, std::size_t offset);
// "(a, b)"
std::string column_list(const std::vector<std::string>& columns);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace mig
