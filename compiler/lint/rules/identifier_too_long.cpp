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

  void check(const LintContext& ctx, const OperationView& view) const override {
    // Names written in .mig over the limit are compile errors; raw SQL runs as written.
    const auto& op = view.op;
    for (const auto& s : raw_statements(op)) {
      std::set<std::size_t> used;
      auto raw = [&](const char* what, const std::string& n) {
        if (const auto written = written_longer(s.sql, n, used))
          name(ctx, op, what, *written, s.span);
      };
      if (const auto* node = statement_node(s.tree, "CreateStmt")) {
        raw("table", (*node)["relation"].value("relname", ""));
        for (const auto& e : node->value("tableElts", nlohmann::json::array())) {
          if (e.contains("ColumnDef")) raw("column", e["ColumnDef"].value("colname", ""));
          if (e.contains("Constraint")) raw("constraint", e["Constraint"].value("conname", ""));
        }
      } else if (const auto* index = statement_node(s.tree, "IndexStmt")) {
        raw("index", index->value("idxname", ""));
      } else if (const auto* alter = statement_node(s.tree, "AlterTableStmt")) {
        for (const auto* cmd : alter_commands(*alter)) {
          if (!cmd->contains("def")) continue;
          const auto& def = (*cmd)["def"];
          if (def.contains("ColumnDef")) raw("column", def["ColumnDef"].value("colname", ""));
          if (def.contains("Constraint")) raw("constraint", def["Constraint"].value("conname", ""));
        }
      } else if (const auto* rename = statement_node(s.tree, "RenameStmt")) {
        raw("new", rename->value("newname", ""));
      }
    }
  }

 private:
  static void name(const LintContext& ctx, const Operation& op, const char* what,
                   const std::string& n, Span span) {
    if (n.size() <= kMaxIdentifier) return;
    ctx.report(span, op.statement,
               fmt::format("{} name `{}` is {} bytes long: PostgreSQL silently truncates names "
                           "to 63 bytes, so it would be `{}`, and later statements that use the "
                           "full name would not find it",
                           what, n, n.size(), truncated(n)),
               "give it a name of at most 63 bytes");
  }
};

}  // namespace

std::unique_ptr<Rule> make_IdentifierTooLong() { return std::make_unique<IdentifierTooLong>(); }

}  // namespace mig
