#pragma once

// PostgreSQL's own parser (libpg_query): SQL fragments from .mig files are checked in the
// statement they will be part of, and raw SQL is split and inspected through parse trees.

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mig {

// The PostgreSQL major version whose parser mig links (libpg_query): SQL of a newer version
// may use syntax it does not know.
inline constexpr int kParserPgVersion = 15;

struct SqlError {
  std::string message;
  std::size_t offset = 0;  // in the checked fragment
  // PostgreSQL's grammar refused the text (rather than one of mig's limits): it may be
  // syntax of a PostgreSQL newer than kParserPgVersion.
  bool syntax = false;
};

// What PostgreSQL said; for a syntax error also that mig's parser is PostgreSQL
// kParserPgVersion's, and the target version when it is newer.
std::string sql_error_message(const SqlError&, int target_pg_version = kParserPgVersion);

struct SqlStatement {
  std::string text;        // without the trailing `;`
  std::size_t offset = 0;  // in the script
  // The statement node, e.g. {"CreateStmt": {...}}, or why PostgreSQL's parser refused the
  // statement (the error's offset is in the script).
  std::variant<nlohmann::json, SqlError> tree;
};

// A parse tree shared between the parse cache and whoever keeps it.
using SqlTree = std::shared_ptr<const nlohmann::json>;

// Parses `prefix + fragment + suffix`, which must be exactly one statement. Returns that
// statement's node, or an error positioned in `fragment`. The prefix and suffix are the
// context the fragment will be emitted in, so what was checked is what will run.
// The result is cached: the reference stays valid until the next call on the same thread;
// a copy of the tree's pointer keeps the tree.
const std::variant<SqlTree, SqlError>& parse_in_context(std::string_view prefix,
                                                        std::string_view fragment,
                                                        std::string_view suffix);

// The statement node of a parse_in_context result, or nullptr for an error.
inline const nlohmann::json* tree_of(const std::variant<SqlTree, SqlError>& parsed) {
  const auto* tree = std::get_if<SqlTree>(&parsed);
  return tree ? tree->get() : nullptr;
}

// SQL text without its comments (`--` and `/* */`, as PostgreSQL's own scanner finds
// them: not inside string literals, quoted names or dollar quotes). A comment and the
// blanks around it become one space, or none at a line's end or before `,` or `)`; tokens
// never merge and no line is joined to another.
struct UncommentedSql {
  std::string text;
  // For each removed comment: its offset in `text` and how many more bytes it had there.
  std::vector<std::pair<std::size_t, std::size_t>> cuts;
  // The offset in the original text of an offset in `text`.
  std::size_t original_offset(std::size_t offset) const;
};
std::variant<UncommentedSql, SqlError> without_comments(std::string_view sql);

// The statement node of generated SQL, or why it is not exactly one statement without
// comments: the check that a fragment cannot have changed the shape of the statement it
// was placed in.
std::variant<nlohmann::json, SqlError> one_statement(std::string_view sql);

// Splits a script into its statements (empty statements dropped) and parses each: a
// statement PostgreSQL's parser refuses costs only itself. A token the scanner cannot read
// to its end (an unterminated string or comment) makes its statement run to the end of the
// script.
std::vector<SqlStatement> parse_script(std::string_view script);

// The first node named `key` found by a depth-first walk of `tree`, or nullptr.
const nlohmann::json* find_node(const nlohmann::json& tree, std::string_view key);

// Every unqualified column name referenced in an expression tree.
std::vector<std::string> column_refs(const nlohmann::json& tree);
// The same with where each is: its offset in the text the tree was parsed from.
struct ColumnReference {
  std::string name;
  std::size_t offset = 0;
};
std::vector<ColumnReference> column_references(const nlohmann::json& tree);

// The fragment with references to column `from` renamed to `to` (quoted). Uses the
// positions PostgreSQL's parser reports, so strings and other names are untouched.
std::string rename_column_refs(std::string_view prefix, std::string_view fragment,
                               std::string_view suffix, std::string_view from, std::string_view to);

}  // namespace mig
