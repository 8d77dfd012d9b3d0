#pragma once

// One keyset batch of a backfill, as two statements: first the batch's last key (the
// `batch_size`-th key after the last key done, in key order; never OFFSET, so every batch
// costs the same), then one UPDATE (or DELETE) of the key range (after, last], sent with
// the history record of its position in one query string of the batch's transaction. With
// both bounds literal, the planner walks the range on the primary key index; joining the
// changed rows to a list of keys instead cost an index descent per row and more than
// halved the rate (bench/README.md).

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

// The key column values of a row, as text, in key_columns order.
using KeyPosition = std::vector<std::string>;

// Result: one row, the batch's last key columns as text; no row when nothing is left.
// `quoting` only escapes the key literals.
std::string backfill_last_key_sql(const BackfillSpec&, const std::optional<KeyPosition>& after,
                                  pqxx::transaction_base& quoting);

// Changes the rows with keys in (after, last] that the predicate selects; its affected
// row count is the batch's.
std::string backfill_change_sql(const BackfillSpec&, const std::optional<KeyPosition>& after,
                                const KeyPosition& last, pqxx::transaction_base& quoting);

// Result: the table's estimated row count (-1: never estimated); no row if it is gone.
std::string backfill_estimate_sql(const BackfillSpec&, pqxx::transaction_base& quoting);

// Result: the planner's estimate of the keys at or before `position`, as EXPLAIN's JSON
// (read it with planned_rows): instant, where counting them would read the whole range.
std::string backfill_keys_through_sql(const BackfillSpec&, const KeyPosition& position,
                                      pqxx::transaction_base& quoting);
long long planned_rows(const std::string& explain_json);  // throws RuntimeError

// The history table stores a position as a JSON array of strings.
std::string encode_position(const KeyPosition&);
KeyPosition decode_position(const std::string&);  // throws RuntimeError on malformed text

}  // namespace mig
