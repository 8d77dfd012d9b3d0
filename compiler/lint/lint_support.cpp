#include "compiler/lint/lint_support.hpp"

#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/statement_facts.hpp"

namespace mig {

using nlohmann::json;

std::pair<std::string, std::size_t> type_shape(const json& tree) {
  const auto* type_name = find_node(tree, "typeName");
  if (!type_name) return {};
  const auto& names = type_name->value("names", json::array());
  std::string base = names.empty() ? "" : names.back()["String"].value("sval", "");
  return {base, type_name->value("typmods", json::array()).size()};
}

std::optional<std::size_t> after_keyword(std::string_view text, Span span, std::string_view word) {
  const auto slice = text.substr(span.begin, span.end - span.begin);
  auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (std::size_t i = 0; i + word.size() <= slice.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < word.size() && match; ++j)
      match = std::tolower(static_cast<unsigned char>(slice[i + j])) == word[j];
    if (!match || (i > 0 && is_word_char(slice[i - 1])) ||
        (i + word.size() < slice.size() && is_word_char(slice[i + word.size()])))
      continue;
    return span.begin + i + word.size();
  }
  return std::nullopt;
}

ObjectName object_name(const std::string& display) {
  const auto dot = display.find('.');
  return {display.substr(0, dot), display.substr(dot + 1)};
}

namespace {

void from_spec(std::vector<WrittenType>& out, const ObjectName& table, const ColumnSpec& c,
               bool key) {
  const auto [base, modifiers] = type_shape(c.type.tree);
  out.push_back({table, c.name.value, base, modifiers,
                 key || c.primary_key || c.references.has_value(), c.type.span});
}

void from_column_defs(std::vector<WrittenType>& out, const ObjectName& table, const json& elements,
                      Span span) {
  for (const auto& e : elements) {
    if (!e.contains("ColumnDef")) continue;
    const auto& def = e["ColumnDef"];
    const auto [base, modifiers] = type_shape(def);
    bool key = false;
    for (const auto& c : def.value("constraints", json::array())) {
      const auto type = c.value("Constraint", json::object()).value("contype", "");
      key |= type == "CONSTR_PRIMARY" || type == "CONSTR_FOREIGN";
    }
    out.push_back({table, def.value("colname", ""), base, modifiers, key, span});
  }
}

}  // namespace

std::vector<WrittenType> written_types(const Operation& op) {
  std::vector<WrittenType> out;
  if (const auto* create = dynamic_cast<const CreateTable*>(&op)) {
    std::vector<std::string> key_columns;
    for (const auto& c : create->constraints)
      if (c.kind == ConstraintKind::PrimaryKey || c.kind == ConstraintKind::ForeignKey)
        for (const auto& col : c.columns) key_columns.push_back(col.value);
    for (const auto& c : create->columns)
      from_spec(
          out, create->table.name, c,
          std::find(key_columns.begin(), key_columns.end(), c.name.value) != key_columns.end());
  } else if (const auto* add = dynamic_cast<const AddColumn*>(&op)) {
    from_spec(out, add->table.name, add->column, false);
  } else if (const auto* change = dynamic_cast<const AlterColumnType*>(&op)) {
    const auto [base, modifiers] = type_shape(change->type.tree);
    out.push_back(
        {change->table.name, change->column.value, base, modifiers, false, change->type.span});
  } else if (const auto* raw = dynamic_cast<const RawSql*>(&op)) {
    for (const auto& s : raw->up_statements) {
      if (s.tree.contains("CreateStmt")) {
        const auto& node = s.tree["CreateStmt"];
        from_column_defs(out, object_name(range_var_name(node["relation"])),
                         node.value("tableElts", json::array()), s.span);
      } else if (s.tree.contains("AlterTableStmt")) {
        const auto& node = s.tree["AlterTableStmt"];
        json defs = json::array();
        for (const auto& cmd : node.value("cmds", json::array())) {
          const auto& c = cmd.value("AlterTableCmd", json::object());
          if (c.contains("def") && c["def"].contains("ColumnDef")) defs.push_back(c["def"]);
        }
        from_column_defs(out, object_name(range_var_name(node["relation"])), defs, s.span);
      }
    }
  }
  return out;
}

}  // namespace mig
