#include "compiler/format/formatter.hpp"

#include <algorithm>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <type_traits>
#include <vector>

#include "compiler/parse/parser.hpp"
#include "compiler/source/encoding.hpp"
#include "grammar/mig_control.hpp"

namespace mig {

namespace pegtl = tao::pegtl;
namespace g = grammar;

namespace {

// The formatter knows the grammar's lexical rules, not its statements: every keyword rule
// (made with MIG_KEYWORD) is lower-cased and every `_`, `space_or_newline`, `layout`,
// `statement_end` and `element_end` is re-spaced, so a new statement needs no code here.
struct KeywordTest {
  template <char... Cs>
  static std::true_type test(const g::keyword<Cs...>*);
  static std::false_type test(const void*);
};
template <typename Rule>
constexpr bool is_keyword = decltype(KeywordTest::test(static_cast<const Rule*>(nullptr)))::value;

template <typename Rule, typename... Rules>
constexpr bool is_one_of = (std::is_same_v<Rule, Rules> || ...);

// Where the grammar allows space (and comments) inside a statement.
template <typename Rule>
constexpr bool is_space = is_one_of<Rule, g::_, g::space_or_newline>;
// Where one statement or block element ends and the next begins.
template <typename Rule>
constexpr bool is_boundary = is_one_of<Rule, g::layout, g::statement_end, g::element_end>;

template <typename Rule>
struct selector
    : std::bool_constant<
          is_keyword<Rule> || is_space<Rule> || is_boundary<Rule> ||
          is_one_of<Rule, g::table_body, g::alter_body, g::column_def, g::column_name>> {};

struct Node : pegtl::parse_tree::basic_node<Node> {
  bool keyword = false;
  bool space = false;
  bool boundary = false;

  template <typename Rule, typename ParseInput, typename... States>
  void start(const ParseInput& in, States&&... st) {
    basic_node::start<Rule>(in, st...);
    keyword = is_keyword<Rule>;
    space = is_space<Rule>;
    boundary = is_boundary<Rule>;
  }
};

struct Gap {
  std::size_t begin = 0, end = 0;
  bool boundary = false;
  std::size_t pad = 0;  // spaces after an aligned column name; 0 for one space
  bool breaks = false;  // a statement going on over the next line
};

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

class Formatter {
 public:
  explicit Formatter(std::string_view text)
      : text_(text), lower_(text.size()), braces_(text.size()) {}

  std::string format(const Node& root) {
    collect(root);
    std::sort(gaps_.begin(), gaps_.end(),
              [](const Gap& a, const Gap& b) { return a.begin < b.begin; });
    std::vector<Gap> merged;
    for (const auto& gap : gaps_) {
      if (!merged.empty() && gap.begin <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, gap.end);
        merged.back().boundary |= gap.boundary;
        merged.back().pad = std::max(merged.back().pad, gap.pad);
        merged.back().breaks |= gap.breaks;
      } else {
        merged.push_back(gap);
      }
    }
    std::size_t pos = 0;
    for (const auto& gap : merged) {
      copy(pos, gap.begin);
      if (gap.boundary)
        boundary(gap);
      else
        space(gap);
      pos = gap.end;
    }
    copy(pos, text_.size());
    return out_;
  }

 private:
  void collect(const Node& n) {
    if (!n.is_root()) {
      const auto begin = n.m_begin.byte, end = n.m_end.byte;
      if (n.keyword) {
        std::fill(lower_.begin() + begin, lower_.begin() + end, true);
      } else if (n.is_type<g::table_body>() || n.is_type<g::alter_body>()) {
        braces_[begin] = 1;
        braces_[end - 1] = -1;
        if (n.is_type<g::table_body>()) align_columns(n);
      } else if (n.space || n.boundary) {
        const bool breaks =
            n.is_type<g::_>() && text_.substr(begin, end - begin).find('\n') != std::string::npos;
        gaps_.push_back({begin, end, n.boundary, 0, breaks});
        if (n.boundary) return;
      }
    }
    for (const auto& c : n.children) collect(*c);
  }

  // The column names of a table body are padded to the longest, as in docs/language.md.
  void align_columns(const Node& body) {
    std::vector<const Node*> names;
    for (const auto& c : body.children)
      if (c->is_type<g::column_def>() && !c->children.empty() &&
          c->children.front()->is_type<g::column_name>())
        names.push_back(c->children.front().get());
    std::size_t width = 0;
    for (const auto* name : names) width = std::max(width, display_width(name->string_view()));
    for (const auto* name : names)
      gaps_.push_back({name->m_end.byte, name->m_end.byte, false,
                       width - display_width(name->string_view()) + 1, false});
  }

  void copy(std::size_t from, std::size_t to) {
    for (auto i = from; i < to; ++i) {
      const char c = text_[i];
      out_ += lower_[i] && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      depth_ += braces_[i];
    }
  }

  std::string indent(int depth) const { return std::string(2 * std::max(depth, 0), ' '); }

  void end_line() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }

  // Comments of a gap, each without trailing space.
  struct Piece {
    bool newline = false;
    std::string_view comment;
  };
  std::vector<Piece> pieces(const Gap& gap) const {
    std::vector<Piece> result;
    for (auto i = gap.begin; i < gap.end; ++i) {
      const char c = text_[i];
      if (c == '\n') {
        result.push_back({true, {}});
      } else if (c == '#' || (c == '-' && i + 1 < gap.end && text_[i + 1] == '-')) {
        auto end = std::min(text_.find('\n', i), gap.end);
        auto comment = text_.substr(i, end - i);
        comment = comment.substr(0, comment.find_last_not_of(" \t\r") + 1);
        result.push_back({false, comment});
        i = end - 1;
      }
    }
    return result;
  }

  // Space inside a statement: one space, none next to brackets and before a comma, the
  // column padding in a table body. A comment (possible inside parentheses) ends its line,
  // as does a line break where the statement goes on over the next line.
  void space(const Gap& gap) {
    const char before = out_.empty() ? '\n' : out_.back();
    const char after = gap.end < text_.size() ? text_[gap.end] : '\n';
    bool commented = false;
    for (const auto& piece : pieces(gap)) {
      if (piece.newline) continue;
      while (!out_.empty() && out_.back() == ' ') out_.pop_back();
      if (!out_.empty() && out_.back() != '\n') out_ += ' ';
      out_ += piece.comment;
      out_ += '\n' + indent(depth_ + 2);
      commented = true;
    }
    if (commented) return;
    if (gap.breaks) {
      end_line();
      out_ += indent(depth_ + 2);
      return;
    }
    if (gap.pad > 0)
      out_.append(gap.pad, ' ');
    else if (after == '{')
      out_ += ' ';
    else if (before == '(' || before == '[' || after == ')' || after == ']' || after == ',')
      return;
    else if (gap.begin != gap.end || before == ',')
      out_ += ' ';
  }

  // Between statements or block elements: a line break, comments kept (a comment after a
  // statement stays on its line), at most one blank line, the next line indented.
  void boundary(const Gap& gap) {
    const bool at_end = gap.end == text_.size();
    const bool closes_block = !at_end && braces_[gap.end] < 0;
    int newlines = 0;
    const auto start_line = [&](int depth) {
      end_line();
      const bool after_open = out_.size() >= 2 && out_[out_.size() - 2] == '{';
      if (newlines >= 2 && !out_.empty() && !after_open) out_ += '\n';
      out_ += indent(depth);
    };
    bool same_line = !out_.empty();
    for (const auto& piece : pieces(gap)) {
      if (piece.newline) {
        ++newlines;
        same_line = false;
        continue;
      }
      if (same_line) {
        while (out_.back() == ' ' || out_.back() == '\t') out_.pop_back();
        out_ += ' ';
      } else {
        start_line(depth_);  // a comment before `}` belongs to the block
      }
      out_ += piece.comment;
      newlines = 0;
      same_line = false;
    }
    if (at_end) {
      end_line();
      return;
    }
    if (closes_block) newlines = 0;
    start_line(closes_block ? depth_ - 1 : depth_);
  }

  std::string_view text_;
  std::vector<bool> lower_;
  std::vector<int> braces_;
  std::vector<Gap> gaps_;
  std::string out_;
  int depth_ = 0;
};

}  // namespace

std::optional<std::string> format_source(const SourceFile& file, Diagnostics& out) {
  if (auto error = encoding_error(file)) {
    out.push_back(std::move(*error));
    return std::nullopt;
  }
  const auto errors_before = out.size();
  parse_file(file, out);
  if (out.size() != errors_before) return std::nullopt;
  pegtl::memory_input in(file.text(), file.path());
  g::Openings open;
  const auto root =
      pegtl::parse_tree::parse<g::file, Node, selector, pegtl::nothing, g::control>(in, open);
  return Formatter(file.text()).format(*root);
}

}  // namespace mig
