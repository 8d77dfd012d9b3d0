#pragma once

// Quoting identifiers and literals, shared by the compiler (generated SQL) and the runtime
// (the names of a tenant's schema and history table).

#include <string>
#include <string_view>

namespace mig {

std::string quote_ident(std::string_view name);     // always "...", with "" for "
std::string quote_literal(std::string_view value);  // '...', with '' for '

}  // namespace mig
