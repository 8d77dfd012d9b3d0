#include "compiler/lint/lint_support.hpp"

#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/statement_facts.hpp"

namespace mig {

using nlohmann::json;

namespace {

// A member of a parse tree node, without copying it (json::value copies): `absent` when
// the node has no such member. Rules call these helpers for every statement.
const json& member(const json& node, const char* key, const json& absent) {
  const auto it = node.find(key);
  return it == node.end() ? absent : *it;
}

const json kNoArray = json::array();
const json kNoObject = json::object();

}  // namespace

std::pair<std::string, std::size_t> type_shape(const json& tree) {
  const auto* type_name = find_node(tree, "typeName");
  if (!type_name) return {};
  const auto& names = member(*type_name, "names", kNoArray);
  std::string base = names.empty() ? "" : names.back()["String"].value("sval", "");
  return {base, member(*type_name, "typmods", kNoArray).size()};
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

const json* statement_node(const json& tree, std::string_view type) {
  const auto it = tree.find(type);
  return it == tree.end() ? nullptr : &*it;
}

ObjectName relation_of(const json& range_var) { return object_name(range_var_name(range_var)); }

std::vector<const json*> alter_commands(const json& alter_table) {
  std::vector<const json*> out;
  const auto cmds = alter_table.find("cmds");
  if (cmds == alter_table.end()) return out;
  for (const auto& cmd : *cmds)
    if (cmd.contains("AlterTableCmd")) out.push_back(&cmd["AlterTableCmd"]);
  return out;
}

const json* column_constraint(const json& column_def, std::string_view contype) {
  if (!column_def.contains("constraints")) return nullptr;
  for (const auto& c : column_def["constraints"])
    if (c.contains("Constraint") && c["Constraint"].value("contype", "") == contype)
      return &c["Constraint"];
  return nullptr;
}

std::vector<std::string> string_list(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list)
    if (item.contains("String")) out.push_back(item["String"].value("sval", ""));
  return out;
}

const std::vector<RawStatement>& raw_statements(const Operation& op) {
  static const std::vector<RawStatement> none;
  const auto* raw = dynamic_cast<const RawSql*>(&op);
  return raw ? raw->up_statements : none;
}

std::string action_text(const LintContext& ctx, const Operation& op, const TableRef& table) {
  // One-line statements span `alter table NAME ...`; actions inside a block only the action.
  const Span action =
      op.span.begin <= table.span.begin ? Span{table.span.end, op.span.end} : op.span;
  auto text = std::string(ctx.text(action));
  const auto first = text.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : text.substr(first);
}

std::size_t line_of(const LintContext& ctx, std::size_t offset) {
  return ctx.migration.source->position(offset).line;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string column_list(const std::vector<std::string>& columns) {
  return "(" + join(columns, ", ") + ")";
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
    for (const auto& c : member(def, "constraints", kNoArray)) {
      const auto type = member(c, "Constraint", kNoObject).value("contype", "");
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
                         member(node, "tableElts", kNoArray), s.span);
      } else if (s.tree.contains("AlterTableStmt")) {
        const auto& node = s.tree["AlterTableStmt"];
        json defs = json::array();
        for (const auto& cmd : member(node, "cmds", kNoArray)) {
          const auto& c = member(cmd, "AlterTableCmd", kNoObject);
          if (c.contains("def") && c["def"].contains("ColumnDef")) defs.push_back(c["def"]);
        }
        from_column_defs(out, object_name(range_var_name(node["relation"])), defs, s.span);
      }
    }
  }
  return out;
}

std::vector<const nlohmann::json*> added_constraints(
    const nlohmann::json& alter_table, std::initializer_list<std::string_view> types) {
  std::vector<const nlohmann::json*> out;
  auto wanted = [&](const nlohmann::json& c) {
    const auto type = c.value("contype", "");
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  for (const auto* cmd : alter_commands(alter_table)) {
    if (!cmd->contains("def")) continue;
    const auto subtype = cmd->value("subtype", "");
    const auto& def = (*cmd)["def"];
    if (subtype == "AT_AddConstraint" && def.contains("Constraint") && wanted(def["Constraint"]))
      out.push_back(&def["Constraint"]);
    if (subtype == "AT_AddColumn" && def.contains("ColumnDef"))
      for (auto type : types)
        if (const auto* c = column_constraint(def["ColumnDef"], type)) out.push_back(c);
  }
  return out;
}

bool is_serial(std::string_view base) {
  return base == "serial" || base == "bigserial" || base == "smallserial" || base == "serial2" ||
         base == "serial4" || base == "serial8";
}

std::vector<RawAlterTable> raw_alters_of_existing(const LintContext& ctx, const Operation& op) {
  std::vector<RawAlterTable> out;
  for (const auto& s : raw_statements(op)) {
    const auto* node = statement_node(s.tree, "AlterTableStmt");
    if (!node) continue;
    auto table = relation_of((*node)["relation"]);
    if (ctx.is_existing(table)) out.push_back({s, node, std::move(table)});
  }
  return out;
}

}  // namespace mig
