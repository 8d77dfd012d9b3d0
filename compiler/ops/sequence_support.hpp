#pragma once

// Shared by the sequence operations and by the drops that take owned sequences with them.

#include <string>
#include <vector>

#include "compiler/ops/operation.hpp"

namespace mig {

// `s` with the written options applied; reports numbers out of range, an unknown type or
// owner, and options PostgreSQL would refuse together (MINVALUE not below MAXVALUE, a start
// outside them, ...).
bool apply_sequence_options(const SchemaModel&, const ast::SequenceOptions&, Sequence& s,
                            Span statement, CheckContext&);
// The clauses of ALTER SEQUENCE that set the written options to their values in `s`
// (`INCREMENT BY 5 NO MINVALUE OWNED BY NONE`); unset ones to PostgreSQL's defaults.
std::string sequence_clauses(const Sequence& s, const ast::SequenceOptions& written);
// A number as a sequence takes it; reports one outside 64-bit integers.
std::optional<std::int64_t> sequence_number(const Number&, CheckContext&);
// `restart with` a value of `s`: reports one outside its bounds.
std::optional<std::int64_t> restart_value(const Sequence& s, const Number& value, CheckContext&);

// For a sequence an identity or serial column made: that it is, as the help of an error;
// empty for another name.
std::string column_sequence_help(const SchemaModel&, const ObjectName& name);

// A downgrade that re-creates a table or column re-creates the sequences it owned: these
// before it (a default may use them), with their privileges, the OWNED BY steps after it.
std::vector<PlanStep> create_owned_sequences(const std::vector<const Sequence*>&);
std::vector<PlanStep> own_sequences(const std::vector<const Sequence*>&);
// Reports each column default outside `dropped` (a table, or one column of it) that uses one
// of the sequences going with it.
bool require_owned_sequences_unused(const SchemaModel&, const std::vector<const Sequence*>&,
                                    const ObjectName& table, std::optional<std::string_view> column,
                                    Span, CheckContext&);

}  // namespace mig
