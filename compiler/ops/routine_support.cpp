#include "compiler/ops/routine_support.hpp"

#include <algorithm>

namespace mig {

using nlohmann::json;

namespace {

void collect(const json& node, std::string_view key, std::vector<const json*>& out) {
  if (node.is_object()) {
    for (const auto& [k, value] : node.items()) {
      if (k == key) out.push_back(&value);
      collect(value, key, out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect(item, key, out);
  }
}

}  // namespace

std::vector<const json*> nodes_named(const json& tree, std::string_view key) {
  std::vector<const json*> out;
  collect(tree, key, out);
  return out;
}

std::vector<std::string> column_ref_parts(const json& column_ref) {
  std::vector<std::string> out;
  for (const auto& f : column_ref.value("fields", json::array()))
    out.push_back(f.contains("A_Star") ? "*" : f["String"].value("sval", ""));
  return out;
}

std::string function_type_sql(const json& type_name) {
  std::vector<std::string> names;
  for (const auto& n : type_name.value("names", json::array()))
    names.push_back(n["String"].value("sval", ""));
  std::string out;
  // `bigint` is pg_catalog.int8 to the parser and `int8` is int8: both are written int8.
  const auto plain = [](const std::string& n) {
    return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }) && !(n[0] >= '0' && n[0] <= '9');
  };
  if (names.size() == 2 && names[0] == "pg_catalog") {
    out = names[1];
  } else if (names.size() == 1 && plain(names[0])) {
    out = names[0];
  } else {
    for (const auto& n : names) out += (out.empty() ? "" : ".") + quote_ident(n);
  }
  for (std::size_t i = 0; i < type_name.value("arrayBounds", json::array()).size(); ++i)
    out += "[]";
  return out;
}

std::vector<std::string> identity_argument_types(const json& create_function) {
  std::vector<std::string> out;
  for (const auto& p : create_function.value("parameters", json::array())) {
    const auto& parameter = p["FunctionParameter"];
    const auto mode = parameter.value("mode", "");
    if (mode == "FUNC_PARAM_OUT" || mode == "FUNC_PARAM_TABLE") continue;
    out.push_back(function_type_sql(parameter["argType"]));
  }
  return out;
}

const Function* require_function(const SchemaModel& model, const ObjectName& name,
                                 const std::vector<std::string>& types, Span span,
                                 CheckContext& ctx) {
  if (const auto* f = model.find_function(name, types)) return f;
  Function wanted;
  wanted.name = name;
  wanted.argument_types = types;
  std::string overloads;
  for (const auto* f : model.functions_named(name))
    overloads += fmt::format("{}`{}`", overloads.empty() ? "" : ", ", f->signature());
  ctx.error(
      span, fmt::format("function `{}` does not exist", wanted.signature()),
      overloads.empty() ? std::string() : fmt::format("functions of that name: {}", overloads));
  return nullptr;
}

const Function* named_function(const SchemaModel& model, const TableRef& name,
                               const std::optional<SqlFragment>& argument_types,
                               CheckContext& ctx) {
  if (argument_types) {
    if (!argument_types->tree) return nullptr;
    std::vector<std::string> types;
    const auto& objects = argument_types->tree->at("DropStmt").at("objects");
    for (const auto& t : objects[0]["ObjectWithArgs"].value("objargs", nlohmann::json::array()))
      types.push_back(function_type_sql(t["TypeName"]));
    return require_function(model, name.name, types, name.span, ctx);
  }
  const auto named = model.functions_named(name.name);
  if (named.size() == 1) return named.front();
  if (named.empty())
    ctx.error(name.span, fmt::format("function `{}` does not exist", name.name.display()));
  else
    ctx.error(name.span,
              fmt::format("function name `{}` is not unique: {} functions have it",
                          name.name.display(), named.size()),
              fmt::format("write the argument types of the one meant, e.g. `{}(integer)`",
                          name.name.display()));
  return nullptr;
}

bool require_no_view_reading(const SchemaModel& model, const ObjectName& table,
                             std::optional<std::string_view> column, std::string_view action,
                             Span span, CheckContext& ctx) {
  const auto readers = model.views_reading(table, column);
  if (readers.empty()) return true;
  const auto what = column ? fmt::format("column `{}` of table `{}`", *column, table.display())
                           : fmt::format("`{}`", table.display());
  ctx.error(span,
            fmt::format("cannot {} {}: view `{}` reads it", action, what,
                        readers.front()->name.display()),
            fmt::format("drop view {} first, and create it again afterwards if it is still needed",
                        readers.front()->name.display()));
  return false;
}

bool require_no_trigger_naming(const Table& table, std::string_view column, std::string_view action,
                               std::string_view help, Span span, CheckContext& ctx) {
  for (const auto& t : table.triggers)
    if (std::find(t.columns.begin(), t.columns.end(), column) != t.columns.end()) {
      ctx.error(span,
                fmt::format("cannot {} column `{}` of table `{}`: trigger `{}` names it", action,
                            column, table.name.display(), t.name),
                fmt::format(fmt::runtime(help), t.name));
      return false;
    }
  return true;
}

bool require_no_expression_naming(const Table& table, std::string_view column,
                                  std::string_view action, Span span, CheckContext& ctx) {
  for (const auto& c : table.columns)
    if (c.generated && std::find(c.generated->columns.begin(), c.generated->columns.end(),
                                 column) != c.generated->columns.end()) {
      ctx.error(span,
                fmt::format("cannot {} column `{}` of table `{}`: generated column `{}` reads it",
                            action, column, table.name.display(), c.name),
                fmt::format("drop column {} first, and add it again afterwards", c.name));
      return false;
    }
  for (const auto& p : table.row_security.policies)
    if (std::find(p.columns.begin(), p.columns.end(), column) != p.columns.end()) {
      ctx.error(span,
                fmt::format("cannot {} column `{}` of table `{}`: policy `{}` names it", action,
                            column, table.name.display(), p.name),
                fmt::format("drop policy {} first, and create it again afterwards", p.name));
      return false;
    }
  return true;
}

const Policy* find_policy(const Table& table, std::string_view name) {
  for (const auto& p : table.row_security.policies)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace mig
