#include "compiler/sql/plpgsql.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <regex>

namespace mig {

namespace {

// Where the error is in the text: the token it is "at or near" in the body, else the
// body's opening dollar quote. (The PL/pgSQL parser reports no position of its own.)
std::size_t error_offset(const std::string& text, std::string_view message) {
  static const std::regex opening(R"(\$([A-Za-z_][A-Za-z_0-9]*)?\$)");
  std::smatch quote;
  if (!std::regex_search(text, quote, opening)) return 0;
  const auto body = static_cast<std::size_t>(quote.position(0));
  // Found without std::regex: its recursive matcher overflows the stack on a long token.
  constexpr std::string_view near = "at or near \"";
  const auto open = message.find(near);
  const auto close = message.rfind('"');
  if (open != std::string_view::npos && close > open + near.size() - 1) {
    const auto token = message.substr(open + near.size(), close - open - near.size());
    const auto at = text.find(token, body + quote.length(0));
    if (at != std::string::npos) return at;
  }
  return body;
}

// Whether the statement has an `AS '...'` body: libpg_query's PL/pgSQL parser asserts one,
// and a SQL-standard body (`RETURN ...`, `BEGIN ATOMIC`) is only for `language sql`.
bool has_body_string(const std::string& create_function) {
  const auto tree = one_statement(create_function);
  const auto* statement = std::get_if<nlohmann::json>(&tree);
  if (!statement) return false;
  const auto* options = find_node(*statement, "options");
  if (!options || !options->is_array()) return false;
  for (const auto& option : *options)
    if (option.contains("DefElem") && option["DefElem"].value("defname", "") == "as") return true;
  return false;
}

}  // namespace

std::optional<SqlError> plpgsql_error(const std::string& create_function) {
  if (!has_body_string(create_function)) {
    static const std::regex plpgsql(R"(\blanguage\s+'?plpgsql\b)", std::regex::icase);
    if (!std::regex_search(create_function, plpgsql)) return std::nullopt;
    return SqlError{
        "a `language plpgsql` function needs its body as a string (`as $$ begin "
        "... end $$`); `return ...` and `begin atomic` bodies are for `language sql`",
        0, false};
  }
  const auto result = pg_query_parse_plpgsql(create_function.c_str());
  std::optional<SqlError> out;
  if (result.error) {
    const std::string message = result.error->message;
    out = SqlError{"PL/pgSQL: " + message, error_offset(create_function, message), true};
  }
  pg_query_free_plpgsql_parse_result(result);
  return out;
}

}  // namespace mig
