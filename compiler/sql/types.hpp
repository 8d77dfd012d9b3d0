#pragma once

#include <string_view>

namespace mig {

// Whether ALTER COLUMN ... TYPE from `from` to `to` rewrites the table. PostgreSQL skips the
// rewrite when the old type is binary coercible to the new one and the new one accepts
// every old value: varchar(n) -> varchar(m >= n) / varchar / text, text -> varchar,
// numeric(p, s) -> numeric(q >= p, s) / numeric, varbit(n) -> varbit(m >= n), cidr -> inet.
bool type_change_rewrites(std::string_view from, std::string_view to);

}  // namespace mig
