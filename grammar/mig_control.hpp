#pragma once

// The grammar's error control: what a failed `must<>` reports ("expected X, found Y",
// with `expected` written beside each rule in mig_grammar.hpp), where an unclosed quote or
// bracket was opened, and the nesting limit. Its state is one parse's `Openings`, passed
// to pegtl::parse as the parse state.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <tao/pegtl.hpp>
#include <type_traits>
#include <vector>

#include "compiler/source/spelling.hpp"
#include "grammar/mig_grammar.hpp"

namespace mig::grammar {

namespace pegtl = tao::pegtl;

template <typename Rule, typename = void>
constexpr bool has_expected = false;
template <typename Rule>
constexpr bool has_expected<Rule, std::void_t<decltype(Rule::expected)>> = true;

// A rule that matches something the language refuses on purpose, with the reason.
template <typename Rule, typename = void>
constexpr bool has_refusal = false;
template <typename Rule>
constexpr bool has_refusal<Rule, std::void_t<decltype(Rule::refusal)>> = true;

// What stands at the error position, for "expected X, found Y".
template <typename Input>
std::string found_at(const Input& in) {
  const std::string_view rest(in.current(), in.size());
  if (rest.empty()) return "the end of the file";
  if (rest[0] == '\n' || rest[0] == '\r') return "the end of the line";
  auto end = rest.find_first_of(" \t\r\n");
  auto token = rest.substr(0, std::min<std::size_t>(end, 24));
  return fmt::format("`{}`", token);
}

// "`alter tabel`: did you mean `alter table`?" when the words at the error are a misspelling
// of one of the `quoted` alternatives in what was expected; empty otherwise.
template <typename Input>
std::string suggestion(const Input& in, std::string_view expected) {
  const std::string_view rest(in.current(), std::min<std::size_t>(in.size(), 64));
  const auto line = rest.substr(0, rest.find_first_of("\r\n"));
  std::string best, best_written;
  std::size_t best_distance = 3;
  for (auto open = expected.find('`'); open != std::string_view::npos;
       open = expected.find('`', open + 1)) {
    const auto close = expected.find('`', open + 1);
    if (close == std::string_view::npos) break;
    const auto wanted = expected.substr(open + 1, close - open - 1);
    open = close;
    // As many words of the line as the alternative has, lower-cased.
    std::string written;
    std::size_t words = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const bool blank = line[i] == ' ' || line[i] == '\t';
      if (blank && (written.empty() || written.back() == ' ')) continue;
      if (blank &&
          ++words == static_cast<std::size_t>(std::count(wanted.begin(), wanted.end(), ' ')) + 1)
        break;
      written += blank ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    }
    const auto distance = edit_distance(written, wanted);
    if (distance > 0 && distance < best_distance && 3 * distance < wanted.size())
      best = wanted, best_written = written, best_distance = distance;
  }
  return best.empty() ? std::string() : fmt::format("`{}`: did you mean `{}`?", best_written, best);
}

// A statement ends at the end of its line unless something open or the next line's
// indentation carries it on.
constexpr std::string_view kLineEnds =
    "; statements and the elements of `{ }` blocks end with their line unless a "
    "parenthesis, bracket or string is still open, or the next line is indented deeper than "
    "where they start";

// A statement expected at the start of a line right below another: perhaps the line goes on
// with the statement above.
constexpr std::string_view kNotIndented =
    "; to go on with the statement above, indent this line deeper than where it starts";

template <typename Input>
bool follows_statement_line(const Input& in) {
  const char* at = in.current();
  if (at == in.begin() || at[-1] != '\n') return false;
  const char* line = at - 1;
  while (line > in.begin() && line[-1] != '\n') --line;
  const std::string_view above(line, static_cast<std::size_t>(at - 1 - line));
  const auto first = above.find_first_not_of(" \t\r");
  return first != std::string_view::npos && above[first] != '#' &&
         !above.substr(first).starts_with("--");
}

// An error found at the end of the file about something opened long before (a string, a
// parenthesis) is reported where that thing was opened.
struct UnclosedError {
  std::string message;
  std::size_t byte;
};

// What the control tracks during one parse, passed to it as the parse's state: where the
// quotes and brackets still open began, and how deep brackets nest.
struct Openings {
  std::vector<std::size_t> at;
  std::size_t nesting = 0;
};

template <typename Rule>
constexpr bool is_opening =
    std::is_base_of_v<sql_string, Rule> || std::is_base_of_v<sql_escape_string, Rule> ||
    std::is_base_of_v<sql_group, Rule> || std::is_base_of_v<sql_brackets, Rule> ||
    std::is_base_of_v<quoted_name, Rule> || std::is_base_of_v<sql_block, Rule>;

// Parentheses, brackets and braces nest by recursion in the parser: a limit keeps hostile
// input from overflowing the stack, far above what a migration needs.
constexpr std::size_t kMaxNesting = 256;

template <typename Rule>
constexpr bool is_nesting =
    std::is_base_of_v<sql_group, Rule> || std::is_base_of_v<sql_brackets, Rule> ||
    std::is_base_of_v<sql_block, Rule> || std::is_same_v<sql_braces, Rule>;

template <typename Rule>
constexpr bool is_closing =
    std::is_same_v<Rule, sql_string_close> || std::is_same_v<Rule, sql_group_close> ||
    std::is_same_v<Rule, sql_brackets_close> || std::is_same_v<Rule, quoted_name_close> ||
    std::is_same_v<Rule, sql_block_close>;

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename Input>
  static void start(const Input& in, Openings& open) {
    if constexpr (is_nesting<Rule>)
      if (++open.nesting > kMaxNesting)
        throw pegtl::parse_error(
            fmt::format("more than {} nested parentheses, brackets or braces", kMaxNesting), in);
    if constexpr (is_opening<Rule>) open.at.push_back(in.current() - in.begin());
  }
  template <typename Input>
  static void success(const Input&, Openings& open) {
    if constexpr (is_nesting<Rule>) --open.nesting;
    if constexpr (is_opening<Rule>) open.at.pop_back();
  }
  template <typename Input>
  static void failure(const Input&, Openings& open) {
    if constexpr (is_nesting<Rule>) --open.nesting;
    if constexpr (is_opening<Rule>) open.at.pop_back();
  }

  template <typename Input>
  [[noreturn]] static void raise(const Input& in, Openings& open) {
    if constexpr (is_closing<Rule>)
      if (in.empty() && !open.at.empty())
        throw UnclosedError{
            fmt::format("this is never closed: expected {} before the end of the file",
                        Rule::expected),
            open.at.back()};
    if constexpr (has_refusal<Rule>) throw pegtl::parse_error(Rule::refusal, in);
    const auto found = found_at(in);
    const bool line_ended = found == "the end of the line" && !is_closing<Rule>;
    auto line_end = line_ended ? kLineEnds : std::string_view();
    if constexpr (std::is_same_v<Rule, statement_kind>)
      if (follows_statement_line(in)) line_end = kNotIndented;
    if constexpr (has_expected<Rule>) {
      const auto misspelt = suggestion(in, Rule::expected);
      throw pegtl::parse_error(fmt::format("expected {}, found {}{}", Rule::expected,
                                           misspelt.empty() ? found : misspelt, line_end),
                               in);
    } else
      throw pegtl::parse_error(fmt::format("unexpected {}{}", found, line_end), in);
  }
};

}  // namespace mig::grammar
