#include <set>

#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// What PostgreSQL keeps of a long name: 63 bytes, cut at a character boundary.
std::string truncated(const std::string& name) {
  auto cut = kMaxIdentifier;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

bool identifier_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// libpg_query hands back names already truncated to 63 bytes; the name as written is found
// in the statement's text: a longer identifier that starts with the truncated one, at an
// offset not already `used` by an earlier name of the statement.
std::optional<std::string> written_longer(std::string_view text, const std::string& name,
                                          std::set<std::size_t>& used) {
  if (name.size() != kMaxIdentifier) return std::nullopt;
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const auto haystack = lower(text);
  const auto needle = lower(name);
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    if (used.count(at)) continue;
    const bool quoted = at > 0 && text[at - 1] == '"';
    auto end = at + name.size();
    if (quoted) {
      const auto close = text.find('"', end);
      if (close == end || close == std::string_view::npos) continue;
      used.insert(at);
      return std::string(text.substr(at, close - at));
    }
    if (end < text.size() && identifier_char(text[end])) {
      while (end < text.size() && identifier_char(text[end])) ++end;
      used.insert(at);
      return lower(text.substr(at, end - at));
    }
  }
  return std::nullopt;
}

class IdentifierTooLong final : public Rule {
 public:
  std::string_view id() const override { return "identifier-too-long"; }
  std::string_view summary() const override {
    return "a name longer than 63 bytes, which PostgreSQL truncates silently";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    // Names written in .mig over the limit are compile errors; raw SQL runs as written.
    if (s.what.form == Form::Mig) return;
    std::set<std::size_t> used;
    const auto text = ctx.text(s.what.span);
    const auto name = [&](const char* what, const std::string& n) {
      const auto longer = written_longer(text, n, used);
      if (!longer) return;
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("{} name `{}` is {} bytes long: PostgreSQL silently truncates names "
                             "to 63 bytes, so it would be `{}`, and later statements that use "
                             "the full name would not find it",
                             what, *longer, longer->size(), truncated(*longer)),
                 "give it a name of at most 63 bytes");
    };
    for (const auto& effect : s.what.effects)
      std::visit(Overloaded{
                     [&](const TableCreated& e) { name("table", e.table.name); },
                     [&](const ColumnTyped& e) { name("column", e.column); },
                     [&](const ConstraintAdded& e) { name("constraint", e.name); },
                     [&](const IndexBuilt& e) { name("index", e.index); },
                     [&](const TableRenamed& e) { name("new", e.new_name); },
                     [&](const ColumnRenamed& e) { name("new", e.new_name); },
                     [&](const auto&) {},
                 },
                 effect);
  }
};

}  // namespace

std::unique_ptr<Rule> make_IdentifierTooLong() { return std::make_unique<IdentifierTooLong>(); }

}  // namespace mig
