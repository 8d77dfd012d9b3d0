#include "compiler/sql/statement_shapes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>

namespace mig {

namespace {

using json = nlohmann::json;

constexpr char kPlaceholderMark = '\x01';
constexpr std::size_t kLongestName = 63;  // PostgreSQL truncates longer names (NAMEDATALEN)
// A longer statement is always parsed whole, so that mig's limit on the size of SQL
// (pg_parser.cpp) applies to it as the statement is, not as its shape is.
constexpr std::size_t kLongestShared = 64 * 1024;

bool replaceable(std::string_view name) {
  if (name.empty() || name.size() > kLongestName) return false;
  bool not_a_word = false;
  for (const char c : name) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '$')
      not_a_word = true;
    else if (!((c >= 'a' && c <= 'z') || c == '_'))
      return false;
  }
  return not_a_word;
}

// Placeholders have one width, so a name's place shifts by its length less this.
constexpr std::size_t kPlaceholderSize = 9;
std::string placeholder(std::size_t n) { return fmt::format("{}{:08x}", kPlaceholderMark, n); }

// The number of the placeholder `text` is, if it is one of the `count` there are.
std::optional<std::size_t> placeholder_number(std::string_view text, std::size_t count) {
  if (text.size() != kPlaceholderSize || text.front() != kPlaceholderMark) return std::nullopt;
  std::size_t n = 0;
  const auto [end, error] = std::from_chars(text.data() + 1, text.data() + text.size(), n, 16);
  if (error != std::errc() || end != text.data() + text.size() || n >= count ||
      placeholder(n) != text)
    return std::nullopt;
  return n;
}

struct Placeholders {
  std::string text;                     // the statement with its names replaced
  std::vector<std::string_view> names;  // what each placeholder stands for
  std::vector<std::size_t> starts;      // where each placeholder's name starts in `text`
};

// `sql` with its replaceable names made placeholders, or nullopt when it holds what this
// reading does not follow (a comment, a dollar quote or parameter, a backslash in a
// string): such a statement is always parsed whole.
std::optional<Placeholders> placeholders(std::string_view sql) {
  Placeholders out;
  out.text.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size();) {
    const auto special = std::min(sql.find_first_of("'\"$-/", i), sql.size());
    out.text.append(sql.substr(i, special - i));
    if ((i = special) == sql.size()) break;
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '$' || (c == '-' && next == '-') || (c == '/' && next == '*')) return std::nullopt;
    if (c != '\'' && c != '"') {
      out.text += c;
      ++i;
      continue;
    }
    // A string or a quoted name, with its quote doubled inside.
    auto end = i + 1;
    for (;; ++end) {
      if (end >= sql.size() || sql[end] == '\\') return std::nullopt;
      if (sql[end] != c) continue;
      if (end + 1 < sql.size() && sql[end + 1] == c)
        ++end;
      else
        break;
    }
    const auto inside = sql.substr(i + 1, end - i - 1);
    const bool unicode_escapes = i > 0 && sql[i - 1] == '&';  // U&"..."
    if (c == '"' && !unicode_escapes && replaceable(inside)) {
      out.text += '"';
      out.starts.push_back(out.text.size());
      out.text += placeholder(out.names.size());
      out.text += '"';
      out.names.push_back(inside);
    } else {
      out.text.append(sql.substr(i, end + 1 - i));
    }
    i = end + 1;
  }
  return out;
}

}  // namespace

std::variant<const json*, SqlError> StatementShapes::parse(std::string_view sql) {
  auto shaped = sql.size() <= kLongestShared ? placeholders(sql) : std::nullopt;
  Entry* entry = nullptr;
  bool first_sight = false;
  if (shaped && !shaped->names.empty()) {
    auto [at, inserted] = shapes_.try_emplace(shaped->text);
    entry = &at->second;
    first_sight = inserted;
  }
  // Writes this statement's names, and its locations, which shift with the names' lengths.
  const auto write_in = [&](Shape& shape) {
    for (auto& [n, value] : shape.names) value->get_ref<std::string&>() = shaped->names[n];
    std::vector<std::ptrdiff_t> shift(shaped->names.size() + 1, 0);
    for (std::size_t n = 0; n < shaped->names.size(); ++n)
      shift[n + 1] = shift[n] + static_cast<std::ptrdiff_t>(shaped->names[n].size()) -
                     static_cast<std::ptrdiff_t>(kPlaceholderSize);
    for (auto& l : shape.locations)
      *l.value =
          static_cast<std::uint64_t>(static_cast<std::ptrdiff_t>(l.offset) + shift[l.names_before]);
  };
  if (entry && entry->seen == Seen::Shared) {
    write_in(*entry->shape);
    return &entry->shape->tree;
  }
  auto whole = one_statement(sql);
  if (auto* error = std::get_if<SqlError>(&whole)) {
    if (entry) entry->seen = Seen::Unshareable;
    return std::move(*error);
  }
  unshared_ = std::move(std::get<json>(whole));
  if (entry && !first_sight && entry->seen == Seen::Once) {
    entry->seen = Seen::Unshareable;
    auto shaped_tree = one_statement(shaped->text);
    if (auto* tree = std::get_if<json>(&shaped_tree)) {
      auto shape = std::make_unique<Shape>();
      shape->tree = std::move(*tree);
      const std::function<void(json&)> collect = [&](json& node) {
        if (node.is_string()) {
          const auto n =
              placeholder_number(node.get_ref<const std::string&>(), shaped->names.size());
          if (n) shape->names.emplace_back(*n, &node);
        } else if (node.is_object()) {
          for (auto& [key, value] : node.items()) {
            if (key == "location" && value.is_number_unsigned()) {
              const auto offset = value.get<std::size_t>();
              const auto before =
                  std::lower_bound(shaped->starts.begin(), shaped->starts.end(), offset) -
                  shaped->starts.begin();
              shape->locations.push_back({&value, offset, static_cast<std::size_t>(before)});
            } else {
              collect(value);
            }
          }
        } else if (node.is_array()) {
          for (auto& element : node) collect(element);
        }
      };
      collect(shape->tree);
      write_in(*shape);
      if (shape->tree == unshared_) {
        entry->shape = std::move(shape);
        entry->seen = Seen::Shared;
      }
    }
  }
  return &unshared_;
}

}  // namespace mig
