#include "compiler/sql/pg_parser.hpp"

#include <pg_query.h>

#include <algorithm>
#include <unordered_map>

#include "compiler/sql/quote.hpp"

namespace mig {

using nlohmann::json;

namespace {

// PostgreSQL reports error positions in characters (1-based); we need bytes.
std::size_t char_position_to_byte(std::string_view text, int cursorpos) {
  std::size_t byte = 0;
  for (int chars = 1; chars < cursorpos && byte < text.size(); ++chars) {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
  }
  return byte;
}

// The whole parse result, or an error positioned in `text` (byte offset).
std::variant<json, SqlError> parse(const std::string& text) {
  PgQueryParseResult result = pg_query_parse(text.c_str());
  std::variant<json, SqlError> out;
  if (result.error) {
    const int cursor = result.error->cursorpos;
    out = SqlError{result.error->message,
                   cursor > 0 ? char_position_to_byte(text, cursor) : text.size()};
  } else {
    out = json::parse(result.parse_tree);
  }
  pg_query_free_parse_result(result);
  return out;
}

void collect_column_refs(const json& node, std::vector<const json*>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "ColumnRef") out.push_back(&value);
      collect_column_refs(value, out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_column_refs(item, out);
  }
}

// The name of a one-part column reference, or nullopt.
std::optional<std::string> simple_column_name(const json& column_ref) {
  const auto& fields = column_ref.value("fields", json::array());
  if (fields.size() != 1 || !fields[0].contains("String")) return std::nullopt;
  return fields[0]["String"].value("sval", "");
}

// Whitespace and comments before a statement's first token: PostgreSQL counts them as
// part of the statement, we do not.
std::size_t leading_layout(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      i = std::min(text.find('\n', i), text.size());
    } else if (text.substr(i, 2) == "/*") {
      const auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::variant<json, SqlError> parse_in_context(std::string_view prefix, std::string_view fragment,
                                              std::string_view suffix) {
  const std::string text = std::string(prefix) + std::string(fragment) + std::string(suffix);
  // Column types and defaults repeat across a history (`bigint`, `text not null`, `now()`):
  // parse each distinct text once. Per thread and bounded; the prefix length is part of
  // the key because error offsets are relative to the fragment.
  thread_local std::unordered_map<std::string, std::variant<json, SqlError>> parsed;
  const auto key = std::to_string(prefix.size()) + ':' + text;
  if (const auto cached = parsed.find(key); cached != parsed.end()) return cached->second;
  if (parsed.size() >= 4096) parsed.clear();
  auto result = parse(text);
  std::variant<json, SqlError> out;
  if (auto* error = std::get_if<SqlError>(&result)) {
    error->offset =
        std::clamp(error->offset, prefix.size(), prefix.size() + fragment.size()) - prefix.size();
    out = std::move(*error);
  } else if (auto& stmts = std::get<json>(result)["stmts"]; stmts.size() != 1) {
    out = SqlError{"the text must not end the statement it is part of", fragment.size()};
  } else {
    out = std::move(stmts[0]["stmt"]);
  }
  return parsed.emplace(key, std::move(out)).first->second;
}

std::variant<std::vector<SqlStatement>, SqlError> parse_script(std::string_view script) {
  auto result = parse(std::string(script));
  if (auto* error = std::get_if<SqlError>(&result)) return *error;
  std::vector<SqlStatement> statements;
  for (auto& s : std::get<json>(result)["stmts"]) {  // a null (no statements) iterates as empty
    const auto location = s.value("stmt_location", std::size_t{0});
    const auto length = s.value("stmt_len", std::size_t{0});
    auto text = std::string(length ? script.substr(location, length) : script.substr(location));
    const auto skipped = leading_layout(text);
    text.erase(0, skipped);
    text.erase(text.find_last_not_of(" \t\r\n") + 1);
    statements.push_back({std::move(text), location + skipped, std::move(s["stmt"])});
  }
  return statements;
}

const json* find_node(const json& tree, std::string_view key) {
  if (tree.is_object()) {
    for (const auto& [k, value] : tree.items()) {
      if (k == key) return &value;
      if (const auto* found = find_node(value, key)) return found;
    }
  } else if (tree.is_array()) {
    for (const auto& item : tree)
      if (const auto* found = find_node(item, key)) return found;
  }
  return nullptr;
}

std::vector<std::string> column_refs(const json& tree) {
  std::vector<const json*> refs;
  collect_column_refs(tree, refs);
  std::vector<std::string> names;
  for (const auto* ref : refs)
    if (auto name = simple_column_name(*ref)) names.push_back(*name);
  return names;
}

std::string rename_column_refs(std::string_view prefix, std::string_view fragment,
                               std::string_view suffix, std::string_view from,
                               std::string_view to) {
  const auto tree = parse_in_context(prefix, fragment, suffix);
  if (!std::holds_alternative<json>(tree)) return std::string(fragment);
  std::vector<const json*> refs;
  collect_column_refs(std::get<json>(tree), refs);
  std::vector<std::size_t> starts;  // in the fragment
  for (const auto* ref : refs) {
    const auto location = ref->value("location", -1);
    if (simple_column_name(*ref) == std::string(from) && location >= int(prefix.size()))
      starts.push_back(location - prefix.size());
  }
  std::sort(starts.rbegin(), starts.rend());
  std::string out(fragment);
  for (auto start : starts) {
    std::size_t end = start;
    if (out[end] == '"') {
      for (++end; end < out.size(); ++end) {
        if (out[end] == '"' && (end + 1 >= out.size() || out[end + 1] != '"')) break;
        if (out[end] == '"') ++end;
      }
      ++end;
    } else {
      while (end < out.size() &&
             (std::isalnum(static_cast<unsigned char>(out[end])) || out[end] == '_' ||
              out[end] == '$' || static_cast<unsigned char>(out[end]) >= 0x80))
        ++end;
    }
    out.replace(start, end - start, quote_ident(to));
  }
  return out;
}

}  // namespace mig
