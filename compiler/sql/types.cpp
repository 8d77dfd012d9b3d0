#include "compiler/sql/types.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/source/spelling.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

#include "compiler/sql/type_catalog.inc"

// Serial types are not in the catalog: where a column is created, PostgreSQL makes it of the
// integer type, with a sequence for its default.
constexpr std::pair<std::string_view, std::string_view> kSerialTypes[] = {
    {"smallserial", "int2"}, {"serial2", "int2"},   {"serial", "int4"},
    {"serial4", "int4"},     {"bigserial", "int8"}, {"serial8", "int8"}};

// Names an unknown type is compared with for a suggestion, and the type each stands for:
// the SQL spellings, then the names other databases and languages use.
constexpr std::pair<std::string_view, std::string_view> kSpellings[] = {
    {"integer", "integer"},
    {"bigint", "bigint"},
    {"smallint", "smallint"},
    {"boolean", "boolean"},
    {"decimal", "numeric"},
    {"double precision", "double precision"},
    {"real", "real"},
    {"varchar", "varchar"},
    {"character varying", "character varying"},
    {"character", "character"},
    {"timestamp", "timestamp"},
    {"timestamptz", "timestamptz"},
    {"timestamp with time zone", "timestamp with time zone"},
    {"serial", "serial"},
    {"bigserial", "bigserial"},
    {"string", "text"},
    {"datetime", "timestamptz"},
    {"long", "bigint"},
    {"double", "double precision"},
    {"float", "float"},
    {"blob", "bytea"},
    {"binary", "bytea"},
    {"tinyint", "smallint"},
    {"nvarchar", "varchar"},
    {"clob", "text"},
};

const nlohmann::json* type_name_node(std::string_view type) {
  const auto* tree = tree_of(parse_in_context("CREATE TABLE t (c ", type, ")"));
  return tree ? find_node(*tree, "typeName") : nullptr;
}

struct TypeShape {
  std::string base;
  std::vector<long> modifiers;
  std::size_t array_dims = 0;
  bool operator==(const TypeShape&) const = default;
};

std::optional<TypeShape> shape(std::string_view type) {
  const auto* type_name = type_name_node(type);
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

std::optional<TypeName> type_name(std::string_view type) {
  const auto* node = type_name_node(type);
  if (!node) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& n : node->value("names", nlohmann::json::array()))
    names.push_back(n["String"].value("sval", ""));
  if (names.empty()) return std::nullopt;
  TypeName t;
  t.name = names.back();
  if (names.size() > 1) t.schema = names[names.size() - 2];
  t.array = !node->value("arrayBounds", nlohmann::json::array()).empty();
  if (const auto integer = serial_integer(t.name); integer && t.schema.empty() && !t.array) {
    t.name = *integer;
    t.serial = true;
  }
  return t;
}

std::optional<std::string_view> serial_integer(std::string_view name) {
  for (const auto& [serial, integer] : kSerialTypes)
    if (name == serial) return integer;
  return std::nullopt;
}

std::string sql_type_name(std::string_view catalog_name) {
  constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"int2", "smallint"},           {"int4", "integer"}, {"int8", "bigint"}, {"float4", "real"},
      {"float8", "double precision"}, {"bool", "boolean"}, {"bpchar", "char"}};
  for (const auto& [catalog, sql] : kNames)
    if (catalog_name == catalog) return std::string(sql);
  return std::string(catalog_name);
}

bool is_builtin_type(std::string_view name) {
  // `_int4` is int4[], spelt as the catalog names array types.
  if (name.starts_with('_')) name.remove_prefix(1);
  return std::find(std::begin(kBuiltinTypes), std::end(kBuiltinTypes), name) !=
         std::end(kBuiltinTypes);
}

std::string builtin_type_suggestion(std::string_view written) {
  std::vector<std::pair<std::string_view, std::string_view>> candidates(std::begin(kSpellings),
                                                                        std::end(kSpellings));
  for (const auto t : kBuiltinTypes) candidates.emplace_back(t, t);
  const auto closest = closest_name(written, candidates, [](const auto& c) { return c.first; });
  for (const auto& [spelling, type] : candidates)
    if (spelling == closest) return std::string(type);
  return {};
}

bool foreign_key_types_incompatible(std::string_view referencing, std::string_view referenced) {
  const auto from = type_name(referencing);
  const auto to = type_name(referenced);
  if (!from || !to || from->array || to->array) return false;
  if (!from->schema.empty() && from->schema != "pg_catalog") return false;
  if (!to->schema.empty() && to->schema != "pg_catalog") return false;
  if (!is_builtin_type(from->name)) return false;
  bool indexable = false;
  for (const auto& [pk, fk] : kForeignKeyTypes) {
    if (pk != to->name) continue;
    if (fk == from->name) return false;
    indexable = true;
  }
  return indexable;
}

}  // namespace mig
