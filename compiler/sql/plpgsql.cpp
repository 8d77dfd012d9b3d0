#include "compiler/sql/plpgsql.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace mig {

namespace {

// The body's opening dollar quote, `$$` or `$tag$`: where it starts, and its length.
std::optional<std::pair<std::size_t, std::size_t>> opening_quote(std::string_view text) {
  const auto is_tag_char = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  for (auto at = text.find('$'); at != std::string_view::npos; at = text.find('$', at + 1)) {
    auto end = at + 1;
    if (end < text.size() && is_tag_char(text[end], true))
      while (end < text.size() && is_tag_char(text[end], false)) ++end;
    if (end < text.size() && text[end] == '$') return std::pair{at, end + 1 - at};
  }
  return std::nullopt;
}

// Where the error is in the text: the token it is "at or near" in the body, else the
// body's opening dollar quote. (The PL/pgSQL parser reports no position of its own.)
std::size_t error_offset(const std::string& text, std::string_view message) {
  const auto quote = opening_quote(text);
  if (!quote) return 0;
  constexpr std::string_view near = "at or near \"";
  const auto from = message.find(near);
  const auto to = message.rfind('"');
  if (from != std::string_view::npos && to >= from + near.size()) {
    const auto token = message.substr(from + near.size(), to - from - near.size());
    const auto at = text.find(token, quote->first + quote->second);
    if (at != std::string::npos) return at;
  }
  return quote->first;
}

// The CREATE FUNCTION's option `name` (`as`, `language`), or nullptr.
const nlohmann::json* function_option(const nlohmann::json& statement, std::string_view name) {
  const auto* options = find_node(statement, "options");
  if (!options || !options->is_array()) return nullptr;
  for (const auto& option : *options)
    if (option.contains("DefElem") && option["DefElem"].value("defname", "") == name)
      return &option["DefElem"];
  return nullptr;
}

// Whether the function has OUT, INOUT or TABLE parameters.
bool has_out_parameters(const nlohmann::json& statement) {
  const auto* parameters = find_node(statement, "parameters");
  if (!parameters || !parameters->is_array()) return false;
  return std::any_of(parameters->begin(), parameters->end(), [](const nlohmann::json& p) {
    const auto mode =
        p.contains("FunctionParameter") ? p["FunctionParameter"].value("mode", "") : std::string();
    return mode == "FUNC_PARAM_OUT" || mode == "FUNC_PARAM_INOUT" || mode == "FUNC_PARAM_TABLE";
  });
}

// libpg_query's PL/pgSQL parser does not know a function's OUT parameters, so it wants an
// expression after RETURN NEXT, which such a function must not have: each `RETURN NEXT;`
// gets a NULL for the check.
std::string with_return_next_values(std::string text) {
  const auto word_at = [&](std::size_t at, std::string_view word) {
    if (at + word.size() > text.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
    return true;
  };
  const auto skip_space = [&](std::size_t at) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    return at;
  };
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!word_at(at, "return") ||
        (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')))
      continue;
    const auto next = skip_space(at + 6);
    if (next == at + 6 || !word_at(next, "next")) continue;
    const auto end = skip_space(next + 4);
    if (end < text.size() && text[end] == ';') text.insert(end, " NULL");
  }
  return text;
}

}  // namespace

std::optional<SqlError> plpgsql_error(const std::string& create_function) {
  const auto tree = one_statement(create_function);
  const auto* statement = std::get_if<nlohmann::json>(&tree);
  if (!statement) return std::nullopt;
  // libpg_query's PL/pgSQL parser asserts an `AS '...'` body, and a SQL-standard body
  // (`RETURN ...`, `BEGIN ATOMIC`) is only for `language sql`.
  if (!function_option(*statement, "as")) {
    const auto* language = function_option(*statement, "language");
    if (!language || language->dump().find("\"plpgsql\"") == std::string::npos) return std::nullopt;
    return SqlError{
        "a `language plpgsql` function needs its body as a string (`as $$ begin "
        "... end $$`); `return ...` and `begin atomic` bodies are for `language sql`",
        0, false};
  }
  const auto checked =
      has_out_parameters(*statement) ? with_return_next_values(create_function) : create_function;
  const auto result = pg_query_parse_plpgsql(checked.c_str());
  std::optional<SqlError> out;
  if (result.error) {
    const std::string message = result.error->message;
    out = SqlError{"PL/pgSQL: " + message, error_offset(create_function, message), true};
  }
  pg_query_free_plpgsql_parse_result(result);
  return out;
}

}  // namespace mig
