#include "compiler/model/sequence.hpp"

#include <fmt/format.h>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

// A regclass literal ('s', 'app.s', '"My Seq"') as PostgreSQL reads it.
std::optional<ObjectName> regclass_name(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += quoted || c < 'A' || c > 'Z' ? c : static_cast<char>(c - 'A' + 'a');
    }
  }
  if (parts.size() > 2 || parts.back().empty()) return std::nullopt;
  if (parts.size() == 2) return ObjectName{parts[0], parts[1]};
  return ObjectName{"public", parts[0]};
}

void function_calls(const nlohmann::json& tree, std::vector<const nlohmann::json*>& out) {
  if (tree.is_object()) {
    for (const auto& [key, value] : tree.items()) {
      if (key == "FuncCall") out.push_back(&value);
      function_calls(value, out);
    }
  } else if (tree.is_array()) {
    for (const auto& item : tree) function_calls(item, out);
  }
}

}  // namespace

std::string create_sequence_sql(const Sequence& s) {
  auto out = fmt::format("CREATE SEQUENCE {}", s.name);
  if (!s.type.empty()) out += " AS " + s.type;
  if (s.increment) out += fmt::format(" INCREMENT BY {}", *s.increment);
  if (s.minvalue) out += fmt::format(" MINVALUE {}", *s.minvalue);
  if (s.maxvalue) out += fmt::format(" MAXVALUE {}", *s.maxvalue);
  if (s.start) out += fmt::format(" START WITH {}", *s.start);
  if (s.cache) out += fmt::format(" CACHE {}", *s.cache);
  if (s.cycle) out += " CYCLE";
  return out;
}

std::string sequence_owner_sql(const ObjectName& sequence, const std::optional<ColumnOf>& owner) {
  if (!owner) return fmt::format("ALTER SEQUENCE {} OWNED BY NONE", sequence);
  return fmt::format("ALTER SEQUENCE {} OWNED BY {}.{}", sequence, owner->table,
                     Ident{owner->column});
}

std::vector<ObjectName> sequences_in_default(std::string_view default_expr) {
  std::vector<ObjectName> out;
  const auto* tree =
      tree_of(parse_in_context("ALTER TABLE t ALTER COLUMN c SET DEFAULT ", default_expr, ""));
  if (!tree) return out;
  std::vector<const nlohmann::json*> calls;
  function_calls(*tree, calls);
  for (const auto* call : calls) {
    const auto& names = call->value("funcname", nlohmann::json::array());
    if (names.empty()) continue;
    const auto function = names.back()["String"].value("sval", "");
    if (function != "nextval" && function != "currval" && function != "setval") continue;
    const auto& args = call->value("args", nlohmann::json::array());
    if (args.empty()) continue;
    const auto* literal = find_node(args[0], "A_Const");
    if (!literal || !literal->contains("sval")) continue;
    if (auto name = regclass_name((*literal)["sval"].value("sval", "")))
      out.push_back(std::move(*name));
  }
  return out;
}

}  // namespace mig
