#pragma once

#include <string>
#include <vector>

#include "plan/table_size.hpp"

namespace mig {

// The size of each of `tables` that the database at `url` has, in one query: the planner's
// row estimate (pg_class.reltuples), the table's pages (the larger of pg_class.relpages and
// its files) and its indexes and TOAST. Tables the database does not have are left out.
// Throws RuntimeError (DatabaseUnreachable when it cannot connect).
TableSizes read_table_sizes(const std::string& url, const std::vector<TableName>& tables);

}  // namespace mig
