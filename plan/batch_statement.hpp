#pragma once

// The statement one keyset batch of a backfill (or batched delete) runs. The runtime
// fills in the batch's key bounds as literals (runtime/backfill_batch.cpp); the plan's
// scripts show it with placeholders, so a reviewer reads the statement that runs.

#include <optional>
#include <string>
#include <string_view>

#include "plan/plan.hpp"

namespace mig {

// `(k1, k2) OP (values)`, `values` a row of SQL values such as `'7', 'x'`: untyped
// literals take the key columns' types, and a row comparison orders like ORDER BY k1, k2,
// so the primary key index can serve it.
std::string key_comparison(const BackfillSpec&, std::string_view op, std::string_view values);

// Changes the rows with keys in (after, last] that the predicate selects; no `after`: from
// the first key. Every fragment of the spec ends its line, so a `--` comment in one cannot
// swallow what follows it.
std::string batch_change_sql(const BackfillSpec&, const std::optional<std::string>& after,
                             std::string_view last);

}  // namespace mig
