#pragma once

// One keyset batch of a backfill: the next `batch_size` rows after the last key done, in
// key order (never OFFSET, so every batch costs the same), updated or deleted in one
// statement that also reports the batch's last key.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "runtime/plan/plan.hpp"

namespace mig {

// The key column values of a row, as text, in key_columns order.
using KeyPosition = std::vector<std::string>;

// Result: one row (the batch's last key columns as text, then the number of rows changed),
// or no row when nothing is left. `quoting` only escapes the key literals.
std::string backfill_batch_sql(const BackfillSpec&, const std::optional<KeyPosition>& after,
                               pqxx::transaction_base& quoting);

// The history table stores a position as a JSON array of strings.
std::string encode_position(const KeyPosition&);
KeyPosition decode_position(const std::string&);  // throws RuntimeError on malformed text

}  // namespace mig
