#include "compiler/sql/plpgsql.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <regex>

namespace mig {

namespace {

// The offset of the first non-blank of line `line` of the body, line 1 being the line of
// its opening dollar quote.
std::size_t body_line_offset(const std::string& text, int line) {
  static const std::regex opening(R"(\$([A-Za-z_][A-Za-z_0-9]*)?\$)");
  std::smatch quote;
  if (!std::regex_search(text, quote, opening)) return 0;
  auto at = static_cast<std::size_t>(quote.position(0) + quote.length(0));
  for (int l = 1; l < line; ++l) {
    const auto newline = text.find('\n', at);
    if (newline == std::string::npos) break;
    at = newline + 1;
  }
  return std::min(text.find_first_not_of(" \t", at), text.size());
}

}  // namespace

std::optional<SqlError> plpgsql_error(const std::string& create_function) {
  const auto result = pg_query_parse_plpgsql(create_function.c_str());
  std::optional<SqlError> out;
  if (result.error) {
    static const std::regex near_line(R"(near line (\d+))");
    std::cmatch line;
    const char* context = result.error->context ? result.error->context : "";
    const int at_line = std::regex_search(context, line, near_line) ? std::stoi(line[1]) : 1;
    out = SqlError{fmt::format("PL/pgSQL: {} (line {} of the body)", result.error->message, at_line),
                   body_line_offset(create_function, at_line), true};
  }
  pg_query_free_plpgsql_parse_result(result);
  return out;
}

}  // namespace mig
