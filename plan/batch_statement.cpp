#include "plan/batch_statement.hpp"

#include <fmt/format.h>

namespace mig {

std::string key_comparison(const BackfillSpec& spec, std::string_view op, std::string_view values) {
  return fmt::format("({}) {} ({})", fmt::join(spec.key_columns, ", "), op, values);
}

std::string batch_change_sql(const BackfillSpec& spec, const std::optional<std::string>& after,
                             std::string_view last) {
  std::string out = spec.set_clause.empty()
                        ? fmt::format("DELETE FROM {}\n", spec.table)
                        : fmt::format("UPDATE {} SET\n  {}\n", spec.table, spec.set_clause);
  out += "WHERE ";
  if (after) out += key_comparison(spec, ">", *after) + " AND ";
  out += key_comparison(spec, "<=", last);
  if (!spec.where.empty()) out += fmt::format(" AND (\n  {}\n)", spec.where);
  return out;
}

}  // namespace mig
