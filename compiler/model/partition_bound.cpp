#include "compiler/model/partition_bound.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

using nlohmann::json;

namespace {

// A parse tree without its source positions, to compare constants as written.
json without_locations(json tree) {
  if (tree.is_object()) {
    tree.erase("location");
    for (auto& [key, value] : tree.items()) value = without_locations(value);
  } else if (tree.is_array()) {
    for (auto& value : tree) value = without_locations(value);
  }
  return tree;
}

bool is_column(const json& node, const std::string& column) {
  const auto* ref = node.is_object() && node.contains("ColumnRef") ? &node["ColumnRef"] : nullptr;
  if (!ref) return false;
  const auto& fields = ref->value("fields", json::array());
  return fields.size() == 1 && fields[0].contains("String") &&
         fields[0]["String"].value("sval", "") == column;
}

// `MINVALUE` / `MAXVALUE` in a range bound: a column reference of that name.
bool unbounded(const json& datum) {
  return is_column(datum, "minvalue") || is_column(datum, "maxvalue");
}

// The conjuncts of the check expressions, without their source positions.
std::vector<json> conjuncts(const std::vector<json>& checks) {
  std::vector<json> out;
  const std::function<void(const json&)> add = [&](const json& e) {
    const auto* b = e.contains("BoolExpr") ? &e["BoolExpr"] : nullptr;
    if (b && b->value("boolop", "") == "AND_EXPR") {
      for (const auto& arg : b->value("args", json::array())) add(arg);
      return;
    }
    out.push_back(without_locations(e));
  };
  for (const auto& c : checks) add(c);
  return out;
}

// Whether a conjunct is `column OP value`.
bool compares(const json& conjunct, const std::string& column, std::string_view op,
              const json& value) {
  const auto* e = conjunct.contains("A_Expr") ? &conjunct["A_Expr"] : nullptr;
  if (!e || e->value("kind", "") != "AEXPR_OP") return false;
  const auto& name = e->value("name", json::array());
  return name.size() == 1 && name[0]["String"].value("sval", "") == op &&
         is_column(e->value("lexpr", json::object()), column) &&
         e->value("rexpr", json::object()) == value;
}

// The values a conjunct `column IN (...)` or `column = v` allows, or nullopt.
std::optional<std::vector<json>> allowed_values(const json& conjunct, const std::string& column) {
  const auto* e = conjunct.contains("A_Expr") ? &conjunct["A_Expr"] : nullptr;
  if (!e || !is_column(e->value("lexpr", json::object()), column)) return std::nullopt;
  const auto kind = e->value("kind", "");
  const auto& name = e->value("name", json::array());
  const auto op = name.size() == 1 ? name[0]["String"].value("sval", "") : "";
  if (kind == "AEXPR_IN" && op == "=") {
    const auto& list = e->value("rexpr", json::object());
    if (!list.contains("List")) return std::nullopt;
    return list["List"].value("items", json::array()).get<std::vector<json>>();
  }
  if (kind == "AEXPR_OP" && op == "=") return std::vector{e->value("rexpr", json::object())};
  return std::nullopt;
}

}  // namespace

json bound_tree(const std::string& bound) {
  const auto* statement = tree_of(parse_in_context("CREATE TABLE t PARTITION OF p ", bound, ""));
  const auto* found = statement ? find_node(*statement, "partbound") : nullptr;
  return found ? *found : json::object();
}

json check_expression(const Constraint& c) {
  if (c.kind != ConstraintKind::Check) return json();
  const auto* statement = tree_of(parse_in_context("ALTER TABLE t ADD CHECK (", c.check, ")"));
  const auto* expr = statement ? find_node(*statement, "raw_expr") : nullptr;
  return expr ? *expr : json();
}

std::vector<json> valid_check_expressions(const Table& table) {
  std::vector<json> out;
  for (const auto& c : table.constraints)
    if (c.kind == ConstraintKind::Check && c.validated)
      if (auto expr = check_expression(c); !expr.is_null()) out.push_back(std::move(expr));
  return out;
}

bool checks_imply_bound(const std::vector<json>& checks, const std::string& column,
                        const json& bound) {
  if (bound.value("is_default", false)) return false;
  const auto all = conjuncts(checks);
  const auto proven = [&](std::string_view op, const json& datum) {
    const auto value = without_locations(datum);
    return std::any_of(all.begin(), all.end(),
                       [&](const json& c) { return compares(c, column, op, value); });
  };
  const auto strategy = bound.value("strategy", "");
  if (strategy == "r") {
    const auto& lower = bound.value("lowerdatums", json::array());
    const auto& upper = bound.value("upperdatums", json::array());
    if (lower.size() != 1 || upper.size() != 1) return false;
    // A strict comparison also proves the column not null; with neither side bounded
    // nothing does.
    if (unbounded(lower[0]) && unbounded(upper[0])) return false;
    return (unbounded(lower[0]) || proven(">=", lower[0])) &&
           (unbounded(upper[0]) || proven("<", upper[0]));
  }
  if (strategy == "l") {
    std::vector<json> values;
    for (const auto& v : bound.value("listdatums", json::array()))
      values.push_back(without_locations(v));
    return std::any_of(all.begin(), all.end(), [&](const json& c) {
      const auto allowed = allowed_values(c, column);
      return allowed && std::all_of(allowed->begin(), allowed->end(), [&](const json& v) {
               return std::find(values.begin(), values.end(), v) != values.end();
             });
    });
  }
  return false;
}

std::optional<Constraint> detach_check(const Table& partition, const Partitioning& key) {
  const auto bound = bound_tree(partition.partition_of->bound);
  const auto strategy = bound.value("strategy", "");
  if (key.columns.size() != 1 || bound.value("is_default", false) ||
      (strategy != "r" && strategy != "l"))
    throw std::invalid_argument("only a range or list bound on one plain column");
  const auto& column = key.columns.front();
  if (checks_imply_bound(valid_check_expressions(partition), column, bound)) return std::nullopt;
  const auto quoted = fmt::format("{}", Ident{column});
  // The datums' SQL: the bound's text between its parentheses.
  const auto& text = partition.partition_of->bound;
  std::string check = fmt::format("{} IS NOT NULL", quoted);
  if (strategy == "r") {
    const auto from = text.find("FROM (") + 6;
    const auto from_end = text.find(") TO (");
    const auto lower = text.substr(from, from_end - from);
    const auto upper = text.substr(from_end + 6, text.size() - from_end - 7);
    const auto& datums = bound.value("lowerdatums", json::array());
    if (!unbounded(datums.at(0))) check += fmt::format(" AND {} >= {}", quoted, lower);
    if (!unbounded(bound.value("upperdatums", json::array()).at(0)))
      check += fmt::format(" AND {} < {}", quoted, upper);
  } else {
    const auto in = text.find("IN (") + 4;
    check += fmt::format(" AND {} IN ({})", quoted, text.substr(in, text.size() - in - 1));
  }
  Constraint c;
  c.kind = ConstraintKind::Check;
  c.name = fmt::format("{}_{}_check", partition.name.name, column);
  for (int n = 1; partition.find_constraint(c.name); ++n)
    c.name = fmt::format("{}_{}_check{}", partition.name.name, column, n);
  c.check = check;
  return c;
}

}  // namespace mig
