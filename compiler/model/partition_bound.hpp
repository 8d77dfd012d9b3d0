#pragma once

// What a partition's bound says about its rows, as far as mig needs it: whether the
// partition's own valid check constraints already prove every row fits the bound (then
// ATTACH PARTITION skips its scan and DETACH PARTITION CONCURRENTLY adds no check), and the
// check PostgreSQL adds when they do not.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/model/schema_model.hpp"

namespace mig {

// The PartitionBoundSpec of a bound's SQL (`FOR VALUES FROM (1) TO (10)`, `DEFAULT`).
nlohmann::json bound_tree(const std::string& bound);

// A check constraint's expression as PostgreSQL's parser reads it (its raw_expr); null for
// another kind of constraint.
nlohmann::json check_expression(const Constraint&);
// The expressions (parse trees) of the table's valid check constraints.
std::vector<nlohmann::json> valid_check_expressions(const Table&);

// Whether check expressions (parse trees, all valid) imply `bound` (a PartitionBoundSpec)
// for a table partitioned on `column`. Only what can be read off the text is recognised:
// range bounds as `column >= lower` and `column < upper`, list bounds as `column in (...)`
// or `column = v`, the constants written as in the bound. Otherwise false: PostgreSQL may
// still find a proof, but mig does not promise it.
bool checks_imply_bound(const std::vector<nlohmann::json>& checks, const std::string& column,
                        const nlohmann::json& bound);

// The check constraint PostgreSQL adds to a partition detached concurrently (a copy of its
// partition constraint), nullopt when its checks imply the bound already. Throws
// std::invalid_argument when mig cannot write that check: a key other than one plain
// column, a hash or default bound.
std::optional<Constraint> detach_check(const Table& partition, const Partitioning& key);

}  // namespace mig
