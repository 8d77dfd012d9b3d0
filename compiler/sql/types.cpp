#include "compiler/sql/types.hpp"

#include <optional>
#include <string>
#include <vector>

#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

struct TypeShape {
  std::string base;
  std::vector<long> modifiers;
  std::size_t array_dims = 0;
  bool operator==(const TypeShape&) const = default;
};

std::optional<TypeShape> shape(std::string_view type) {
  const auto& tree = parse_in_context("CREATE TABLE t (c ", type, ")");
  if (!std::holds_alternative<nlohmann::json>(tree)) return std::nullopt;
  const auto* type_name = find_node(std::get<nlohmann::json>(tree), "typeName");
  if (!type_name) return std::nullopt;
  TypeShape s;
  const auto& names = type_name->value("names", nlohmann::json::array());
  if (names.empty()) return std::nullopt;
  s.base = names.back()["String"].value("sval", "");
  for (const auto& m : type_name->value("typmods", nlohmann::json::array())) {
    const auto* value = find_node(m, "ival");
    if (!value) return std::nullopt;  // a modifier we do not understand
    s.modifiers.push_back(value->is_object() ? value->value("ival", 0L) : value->get<long>());
  }
  s.array_dims = type_name->value("arrayBounds", nlohmann::json::array()).size();
  return s;
}

}  // namespace

bool type_change_rewrites(std::string_view from, std::string_view to) {
  const auto a = shape(from);
  const auto b = shape(to);
  if (!a || !b) return true;
  if (*a == *b) return false;
  if (a->array_dims != b->array_dims) return true;
  const auto widened = [&](std::size_t i) {
    return b->modifiers.size() > i && a->modifiers.size() > i && b->modifiers[i] >= a->modifiers[i];
  };
  if (a->base == "varchar" &&
      (b->base == "text" || (b->base == "varchar" && (b->modifiers.empty() || widened(0)))))
    return false;
  if (a->base == "text" && b->base == "varchar" && b->modifiers.empty()) return false;
  if (a->base == "numeric" && b->base == "numeric") {
    if (b->modifiers.empty()) return false;
    const bool same_scale = a->modifiers.size() > 1 && b->modifiers.size() > 1
                                ? a->modifiers[1] == b->modifiers[1]
                                : a->modifiers.size() == b->modifiers.size();
    return !(widened(0) && same_scale);
  }
  if (a->base == "varbit" && b->base == "varbit" && (b->modifiers.empty() || widened(0)))
    return false;
  if (a->base == "cidr" && b->base == "inet") return false;
  return true;
}

}  // namespace mig
