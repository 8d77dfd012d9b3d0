#pragma once

// Schema objects other than tables that the model knows by their `.mig` statements: enum
// types with their ordered values, extensions, and the SQL that re-creates them.

#include <optional>
#include <string>
#include <vector>

#include "compiler/sql/quote.hpp"

namespace mig {

struct EnumType {
  ObjectName name;
  std::vector<std::string> values;  // in their order
  std::optional<std::string> comment;
};

struct Extension {
  std::string name;
  std::string schema;  // where its objects are
};

// CREATE TYPE "s"."t" AS ENUM ('a', 'b')
std::string create_enum_sql(const EnumType&);

// CREATE EXTENSION "name" SCHEMA "s"
std::string create_extension_sql(const Extension&);

// COMMENT ON <what> IS '...' / IS NULL; `what` is already SQL (`TABLE "s"."t"`).
std::string comment_sql(std::string_view what, const std::optional<std::string>& comment);

}  // namespace mig
