#include "compiler/model/types.hpp"

namespace mig {

std::string create_enum_sql(const EnumType& type) {
  std::string values;
  for (const auto& v : type.values) values += (values.empty() ? "" : ", ") + quote_literal(v);
  return fmt::format("CREATE TYPE {} AS ENUM ({})", type.name, values);
}

std::string create_extension_sql(const Extension& extension) {
  return fmt::format("CREATE EXTENSION {} SCHEMA {}", Ident{extension.name},
                     Ident{extension.schema});
}

std::string comment_sql(std::string_view what, const std::optional<std::string>& comment) {
  return fmt::format("COMMENT ON {} IS {}", what, comment ? quote_literal(*comment) : "NULL");
}

}  // namespace mig
