#include "compiler/sql/volatility.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace mig {

namespace {

// Built-in functions that are immutable or stable (pg_proc.provolatile 'i' or 's').
constexpr std::array<std::string_view, 48> kNonVolatile = {"abs",
                                                           "array_length",
                                                           "btrim",
                                                           "ceil",
                                                           "char_length",
                                                           "coalesce",
                                                           "concat",
                                                           "concat_ws",
                                                           "current_database",
                                                           "current_schema",
                                                           "current_setting",
                                                           "date_part",
                                                           "date_trunc",
                                                           "extract",
                                                           "floor",
                                                           "format",
                                                           "greatest",
                                                           "initcap",
                                                           "json_build_object",
                                                           "jsonb_build_array",
                                                           "jsonb_build_object",
                                                           "least",
                                                           "left",
                                                           "length",
                                                           "lower",
                                                           "lpad",
                                                           "ltrim",
                                                           "make_date",
                                                           "make_interval",
                                                           "make_timestamptz",
                                                           "md5",
                                                           "now",
                                                           "nullif",
                                                           "replace",
                                                           "right",
                                                           "round",
                                                           "rpad",
                                                           "rtrim",
                                                           "split_part",
                                                           "statement_timestamp",
                                                           "substr",
                                                           "substring",
                                                           "to_char",
                                                           "to_timestamp",
                                                           "transaction_timestamp",
                                                           "trim",
                                                           "trunc",
                                                           "upper"};

bool visit(const nlohmann::json& node) {
  if (node.is_array()) return std::any_of(node.begin(), node.end(), visit);
  if (!node.is_object()) return false;
  for (const auto& [key, value] : node.items()) {
    if (key == "FuncCall") {
      const auto& names = value.value("funcname", nlohmann::json::array());
      const std::string name =
          names.empty() ? "" : names.back()["String"].value("sval", std::string());
      if (std::find(kNonVolatile.begin(), kNonVolatile.end(), name) == kNonVolatile.end())
        return true;
    }
    if (visit(value)) return true;
  }
  return false;
}

}  // namespace

bool is_volatile(const nlohmann::json& tree) { return visit(tree); }

}  // namespace mig
