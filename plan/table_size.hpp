#pragma once

// How big a table is in a database, from its catalog and statistics: read by the runtime
// (runtime/table_statistics.hpp), weighed by the linter (compiler/lint/weigh_by_size.hpp).

#include <map>
#include <optional>
#include <string>
#include <utility>

namespace mig {

struct TableSize {
  std::optional<double> rows;  // the planner's estimate; nullopt: never analyzed or vacuumed
  long long heap_bytes = 0;    // the table itself
  long long total_bytes = 0;   // with its indexes and TOAST
};

using TableName = std::pair<std::string, std::string>;  // schema, table
using TableSizes = std::map<TableName, TableSize>;

}  // namespace mig
