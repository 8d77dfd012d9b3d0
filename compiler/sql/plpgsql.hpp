#pragma once

// PL/pgSQL bodies checked by PostgreSQL's own PL/pgSQL parser (libpg_query), as
// PostgreSQL checks them when the function is created.

#include <optional>
#include <string>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

// Why the PL/pgSQL body of `create_function` (one CREATE FUNCTION statement) does not
// compile, placed at the token it names (or the body's opening quote); nullopt when it does,
// or when the function's language is not plpgsql.
std::optional<SqlError> plpgsql_error(const std::string& create_function);

}  // namespace mig
