#pragma once

// `mig lint --db`: findings about a lock held for as long as a statement works through a
// table (Rule::grows_with_table) weighed by that table's size in a database (a staging
// copy). On a small table such a finding becomes a note; on a larger one it says how long
// the lock is likely held. Tables the database does not have (created by the history
// itself) leave their findings as they were. Thresholds and throughputs: docs/lint.md.

#include <vector>

#include "compiler/lint/linter.hpp"
#include "plan/table_size.hpp"

namespace mig {

// The tables that findings of such rules lock, for read_table_sizes.
std::vector<TableName> tables_to_weigh(const LintResult&);

// Adds each weighed table's size (and the likely lock duration) to the finding's message,
// and makes the finding a note when every table it locks is small.
void weigh_by_size(LintResult&, const TableSizes&, const TableSizeSettings&);

}  // namespace mig
