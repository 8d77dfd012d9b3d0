#include "compiler/sql/pg_parser.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "compiler/sql/quote.hpp"

namespace mig {

using nlohmann::json;

static_assert(PG_VERSION_NUM / 10000 == kParserPgVersion);

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

// PostgreSQL's parser writes its tree as JSON with a C stack frame per level: a chain like
// `1+1+...+1` of 200 kB overflows an 8 MB stack. A large text is parsed on a thread with a
// stack that grows with it, up to a size no migration needs; and a tree deeper than our
// own recursive walks can follow is refused.
constexpr std::size_t kLargeText = 16 * 1024;
constexpr std::size_t kMaxText = 1024 * 1024;
constexpr std::size_t kStackPerTextByte = 256;
constexpr std::size_t kMaxTreeDepth = 4000;

PgQueryParseResult parse_with_enough_stack(const std::string& text) {
  if (text.size() <= kLargeText) return pg_query_parse(text.c_str());
  struct Call {
    const std::string& text;
    PgQueryParseResult result{};
  } call{text};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, (8 << 20) + text.size() * kStackPerTextByte);
  pthread_t thread;
  const auto run = [](void* c) -> void* {
    auto& call = *static_cast<Call*>(c);
    call.result = pg_query_parse(call.text.c_str());
    return nullptr;
  };
  const int failed = pthread_create(&thread, &attributes, run, &call);
  pthread_attr_destroy(&attributes);
  if (failed) throw std::runtime_error("cannot start a thread to parse a large SQL text");
  pthread_join(thread, nullptr);
  return call.result;
}

std::size_t json_depth(std::string_view json) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// PostgreSQL's scanner reads a `/*` by matching it with every operator character that
// follows and then backing up, so a long run like `/*/*/*/*...` takes quadratic time
// (30 s for 130 kB). No SQL needs more than a few comment openings in one such run.
constexpr std::size_t kMaxCommentOpeningsInRun = 64;

std::optional<SqlError> slow_for_the_scanner(std::string_view text) {
  static constexpr std::string_view kOperatorChars = "~!@#^&|`?+-*/%<>=";
  for (std::size_t i = 0; i < text.size();) {
    if (kOperatorChars.find(text[i]) == std::string_view::npos) {
      ++i;
      continue;
    }
    const auto run_start = i;
    std::size_t openings = 0;
    for (; i < text.size() && kOperatorChars.find(text[i]) != std::string_view::npos; ++i)
      if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') ++openings;
    if (openings > kMaxCommentOpeningsInRun)
      return SqlError{fmt::format("more than {} `/*` in one run of operator characters",
                                  kMaxCommentOpeningsInRun),
                      run_start};
  }
  return std::nullopt;
}

// The whole parse result, or an error positioned in `text` (byte offset).
std::variant<json, SqlError> parse(const std::string& text) {
  if (auto slow = slow_for_the_scanner(text)) return *slow;
  // Errors about the whole text are placed where its SQL starts.
  const auto start = std::min(text.find_first_not_of(" \t\r\n"), text.size());
  if (text.size() > kMaxText)
    return SqlError{fmt::format("{} bytes of SQL in one piece; mig checks at most {} (split it)",
                                text.size(), kMaxText),
                    start};
  PgQueryParseResult result = parse_with_enough_stack(text);
  std::variant<json, SqlError> out;
  if (result.error) {
    const int cursor = result.error->cursorpos;
    const std::string_view message = result.error->message;
    // Errors of the scanner and the grammar, but not a parser stack overflow or an
    // unterminated token: those are not about a version.
    const bool syntax = message.starts_with("syntax error") ||
                        message.starts_with("trailing junk") ||
                        std::string_view(result.error->filename) == "gram.y";
    out = SqlError{std::string(message),
                   cursor > 0 ? char_position_to_byte(text, cursor) : text.size(), syntax};
  } else if (json_depth(result.parse_tree) > kMaxTreeDepth) {
    out = SqlError{fmt::format("the SQL nests too deeply: its syntax tree is more than {} levels "
                               "deep",
                               kMaxTreeDepth),
                   start};
  } else {
    out = json::parse(result.parse_tree);
  }
  pg_query_free_parse_result(result);
  return out;
}

struct ScannedToken {
  std::size_t start = 0;
  std::size_t end = 0;
  int token = 0;
};
bool is_comment(const ScannedToken& t) {
  return t.token == PG_QUERY__TOKEN__SQL_COMMENT || t.token == PG_QUERY__TOKEN__C_COMMENT;
}

// The tokens of `text` as PostgreSQL's scanner finds them.
std::variant<std::vector<ScannedToken>, SqlError> scan(const std::string& text) {
  if (auto slow = slow_for_the_scanner(text)) return *slow;
  PgQueryScanResult result = pg_query_scan(text.c_str());
  std::variant<std::vector<ScannedToken>, SqlError> out;
  if (result.error) {
    const int cursor = result.error->cursorpos;
    out = SqlError{result.error->message,
                   cursor > 0 ? char_position_to_byte(text, cursor) : text.size()};
  } else {
    // libpg_query reports the tokens as a protobuf message (pg_query.proto's ScanResult).
    PgQuery__ScanResult* scanned = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    if (!scanned) throw std::runtime_error("libpg_query returned an unreadable scan result");
    std::vector<ScannedToken> tokens;
    for (std::size_t i = 0; i < scanned->n_tokens; ++i) {
      const auto& token = *scanned->tokens[i];
      tokens.push_back({std::min<std::size_t>(static_cast<std::size_t>(token.start), text.size()),
                        std::min<std::size_t>(static_cast<std::size_t>(token.end), text.size()),
                        token.token});
    }
    pg_query__scan_result__free_unpacked(scanned, nullptr);
    out = std::move(tokens);
  }
  pg_query_free_scan_result(result);
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

// The end of the whitespace, comments (nested, as PostgreSQL reads them) and semicolons
// from `from` on: what comes between two statements.
std::size_t layout_end(std::string_view text, std::size_t from) {
  std::size_t i = from;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ';') {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      i = std::min(text.find('\n', i), text.size());
    } else if (text.substr(i, 2) == "/*") {
      std::size_t depth = 0;
      do {
        if (text.substr(i, 2) == "/*") {
          ++depth;
          i += 2;
        } else if (text.substr(i, 2) == "*/") {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0 && i < text.size());
    } else {
      break;
    }
  }
  return i;
}

struct Extent {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// PostgreSQL 16's number literals (`1_000`, `0x1F`) are trailing junk to the scanner of 15.
// Each character blanked to get past one costs a new split of the whole text: this many
// bytes are split at most.
constexpr std::size_t kMaxSplitBytes = 32 << 20;

// The statements of `text` as PostgreSQL's scanner splits it at top-level semicolons, each
// from after the previous `;` to before its own. A number literal the scanner refuses is
// blanked, so that only its own statement fails to parse; a token that runs to the end (an
// unterminated string or comment) makes its statement run to the end.
std::vector<Extent> split_statements(std::string text) {
  for (std::size_t split_bytes = text.size();; split_bytes += text.size()) {
    PgQuerySplitResult split = pg_query_split_with_scanner(text.c_str());
    std::vector<Extent> out;
    if (!split.error) {
      for (int i = 0; i < split.n_stmts; ++i) {
        const auto begin = static_cast<std::size_t>(split.stmts[i]->stmt_location);
        out.push_back({begin, begin + static_cast<std::size_t>(split.stmts[i]->stmt_len)});
      }
      pg_query_free_split_result(split);
      return out;
    }
    const bool junk = std::string_view(split.error->message).starts_with("trailing junk");
    const int cursor = split.error->cursorpos;
    const auto at = cursor > 0 ? char_position_to_byte(text, cursor) : 0;
    pg_query_free_split_result(split);
    if (junk && split_bytes < kMaxSplitBytes && at < text.size()) {
      text[at] = ' ';
      continue;
    }
    // The text before the broken token splits; the statement it ends in runs to the end.
    if (at > 0 && at < text.size()) out = split_statements(text.substr(0, at));
    std::size_t begin = 0;
    if (!out.empty() && out.back().end == at) {
      begin = out.back().begin;
      out.pop_back();
    } else if (!out.empty()) {
      begin = out.back().end + 1;
    }
    out.push_back({begin, text.size()});
    return out;
  }
}

// The splitter passes over text without a keyword (`foo;`): it is no statement to the
// splitter, but it is not nothing either, and becomes a statement of its own.
std::vector<Extent> with_stray_text(std::string_view script, const std::vector<Extent>& split) {
  std::vector<Extent> out;
  std::size_t previous_end = 0;
  const auto stray_before = [&](std::size_t begin) {
    const auto stray = layout_end(script.substr(0, begin), previous_end);
    if (stray < begin) out.push_back({stray, begin});
  };
  for (const auto& e : split) {
    stray_before(e.begin);
    out.push_back(e);
    previous_end = e.end;
  }
  stray_before(script.size());
  return out;
}

// The one statement of `text`, or the error (offset in `text`).
std::variant<json, SqlError> parse_statement(const std::string& text) {
  auto result = parse(text);
  if (auto* error = std::get_if<SqlError>(&result)) return std::move(*error);
  auto& stmts = std::get<json>(result)["stmts"];
  if (stmts.size() != 1)
    return SqlError{fmt::format("{} statements where one was expected", stmts.size()), 0};
  return std::move(stmts[0]["stmt"]);
}

bool ends_too_early(const std::variant<json, SqlError>& parsed) {
  const auto* error = std::get_if<SqlError>(&parsed);
  return error && error->message == "syntax error at end of input";
}

// The semicolons of a `begin atomic ... end` body end a statement for the scanner, not for
// the grammar. Each longer try parses the statement again: this many bytes at most.
constexpr std::size_t kMaxRetryBytes = 8 << 20;

SqlStatement statement_at(std::string_view script, Extent extent,
                          std::variant<json, SqlError> tree) {
  auto text = std::string(script.substr(extent.begin, extent.end - extent.begin));
  const auto skipped = layout_end(text, 0);
  text.erase(0, skipped);
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  if (auto* error = std::get_if<SqlError>(&tree)) error->offset += extent.begin;
  return {std::move(text), extent.begin + skipped, std::move(tree)};
}

// Each statement parsed on its own, so that one PostgreSQL refuses costs only itself.
std::vector<SqlStatement> parse_each(std::string_view script) {
  const auto extents = with_stray_text(script, split_statements(std::string(script)));
  std::vector<SqlStatement> statements;
  for (std::size_t i = 0; i < extents.size(); ++i) {
    Extent extent = extents[i];
    const auto text_to = [&](std::size_t end) {
      return std::string(script.substr(extent.begin, end - extent.begin));
    };
    auto parsed = parse_statement(text_to(extent.end));
    if (ends_too_early(parsed)) {
      std::size_t retried = 0;
      for (auto j = i + 1; j < extents.size(); ++j) {
        retried += extents[j].end - extent.begin;
        if (retried > kMaxRetryBytes) break;
        auto longer = parse_statement(text_to(extents[j].end));
        if (std::holds_alternative<json>(longer)) {
          parsed = std::move(longer);
          extent.end = extents[j].end;
          i = j;
          break;
        }
        if (!ends_too_early(longer)) break;
      }
    }
    statements.push_back(statement_at(script, extent, std::move(parsed)));
  }
  return statements;
}

// Only text with a comment opener can hold a comment; the scanner tells whether an opener
// is one or sits in a string, and text without one is left for the parser to read.
bool may_hold_comment(std::string_view sql) {
  return sql.find("--") != std::string_view::npos || sql.find("/*") != std::string_view::npos;
}

}  // namespace

const std::variant<SqlTree, SqlError>& parse_in_context(std::string_view prefix,
                                                        std::string_view fragment,
                                                        std::string_view suffix) {
  const std::string text = std::string(prefix) + std::string(fragment) + std::string(suffix);
  // Column types and defaults repeat across a history (`bigint`, `text not null`, `now()`):
  // parse each distinct text once. Per thread and bounded; the prefix length is part of
  // the key because error offsets are relative to the fragment.
  thread_local std::unordered_map<std::string, std::variant<SqlTree, SqlError>> parsed;
  const auto key = std::to_string(prefix.size()) + ':' + text;
  if (const auto cached = parsed.find(key); cached != parsed.end()) return cached->second;
  if (parsed.size() >= 4096) parsed.clear();
  auto result = parse(text);
  std::variant<SqlTree, SqlError> out;
  if (auto* error = std::get_if<SqlError>(&result)) {
    error->offset =
        std::clamp(error->offset, prefix.size(), prefix.size() + fragment.size()) - prefix.size();
    out = std::move(*error);
  } else if (auto& stmts = std::get<json>(result)["stmts"]; stmts.size() != 1) {
    out = SqlError{"the text must not end the statement it is part of", fragment.size()};
  } else {
    out = std::make_shared<const json>(std::move(stmts[0]["stmt"]));
  }
  return parsed.emplace(key, std::move(out)).first->second;
}

std::size_t UncommentedSql::original_offset(std::size_t offset) const {
  std::size_t original = offset;
  for (const auto& [at, removed] : cuts)
    if (at <= offset) original += removed;
  return original;
}

std::variant<UncommentedSql, SqlError> without_comments(std::string_view sql) {
  if (!may_hold_comment(sql)) return UncommentedSql{std::string(sql), {}};
  auto scanned = scan(std::string(sql));
  if (auto* error = std::get_if<SqlError>(&scanned)) return *error;
  UncommentedSql out;
  std::size_t copied = 0;
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  for (const auto& t : std::get<std::vector<ScannedToken>>(scanned)) {
    if (!is_comment(t) || t.start < copied) continue;
    // The comment goes with the blanks around it; one space stays where two tokens would
    // otherwise touch (`1-/**/-1` is `1- -1`, not the comment `1--1`).
    auto from = t.start;
    while (from > copied && blank(sql[from - 1])) --from;
    auto to = t.end;
    while (to < sql.size() && blank(sql[to])) ++to;
    out.text.append(sql.substr(copied, from - copied));
    const char before = out.text.empty() ? '\n' : out.text.back();
    const char after = to < sql.size() ? sql[to] : '\n';
    const bool space = std::string_view("\r\n([").find(before) == std::string_view::npos &&
                       std::string_view("\r\n,)];").find(after) == std::string_view::npos;
    if (space) out.text += ' ';
    out.cuts.emplace_back(out.text.size(), to - from - (space ? 1 : 0));
    copied = to;
  }
  out.text.append(sql.substr(copied));
  return out;
}

std::variant<json, SqlError> one_statement(std::string_view sql) {
  const std::string text(sql);
  if (may_hold_comment(text)) {
    const auto scanned = scan(text);
    if (const auto* error = std::get_if<SqlError>(&scanned)) return *error;
    const auto& tokens = std::get<std::vector<ScannedToken>>(scanned);
    if (std::any_of(tokens.begin(), tokens.end(), is_comment))
      return SqlError{"it holds a comment", 0};
  }
  auto parsed = parse(text);
  if (std::holds_alternative<SqlError>(parsed)) return std::get<SqlError>(std::move(parsed));
  auto& statements = std::get<json>(parsed)["stmts"];
  if (statements.size() != 1)
    return SqlError{fmt::format("it is {} statements", statements.size()), 0};
  return std::move(statements[0]["stmt"]);
}

std::vector<SqlStatement> parse_script(std::string_view script) {
  const std::string text(script);
  if (auto slow = slow_for_the_scanner(text))
    return {statement_at(script, {0, script.size()}, std::move(*slow))};
  // A script PostgreSQL parses whole is split by its grammar, which knows where a
  // `begin atomic` body ends; only a script with an error is split by the scanner.
  auto whole = parse(text);
  if (std::holds_alternative<SqlError>(whole)) return parse_each(script);
  std::vector<SqlStatement> statements;
  for (auto& s : std::get<json>(whole)["stmts"]) {  // a null (no statements) iterates as empty
    const auto location = s.value("stmt_location", std::size_t{0});
    const auto length = s.value("stmt_len", std::size_t{0});
    const Extent extent{location, length ? location + length : script.size()};
    statements.push_back(statement_at(script, extent, std::move(s["stmt"])));
  }
  return statements;
}

std::string sql_error_message(const SqlError& error, int target_pg_version) {
  if (!error.syntax) return error.message;
  if (target_pg_version > kParserPgVersion)
    return fmt::format(
        "{} (mig's SQL parser is PostgreSQL {}'s and the target is PostgreSQL {}: the statement "
        "may use syntax of a newer version than {})",
        error.message, kParserPgVersion, target_pg_version, kParserPgVersion);
  return fmt::format(
      "{} (mig's SQL parser is PostgreSQL {}'s: the statement may use syntax of a newer version)",
      error.message, kParserPgVersion);
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
  std::vector<std::string> names;
  for (auto& ref : column_references(tree)) names.push_back(std::move(ref.name));
  return names;
}

std::vector<ColumnReference> column_references(const json& tree) {
  std::vector<const json*> refs;
  collect_column_refs(tree, refs);
  std::vector<ColumnReference> out;
  for (const auto* ref : refs)
    if (auto name = simple_column_name(*ref))
      out.push_back({std::move(*name), static_cast<std::size_t>(ref->value("location", 0))});
  return out;
}

std::string rename_column_refs(std::string_view prefix, std::string_view fragment,
                               std::string_view suffix, std::string_view from,
                               std::string_view to) {
  const auto* tree = tree_of(parse_in_context(prefix, fragment, suffix));
  if (!tree) return std::string(fragment);
  std::vector<const json*> refs;
  collect_column_refs(*tree, refs);
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
