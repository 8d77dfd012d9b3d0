#pragma once

// The one place identifiers and literals become SQL text. Every name in generated SQL
// goes through `Ident` or `ObjectName`, every literal through `quote_literal`.

#include <fmt/format.h>

#include <functional>
#include <string>
#include <string_view>

#include "plan/quote.hpp"

namespace mig {

// PostgreSQL keeps the first 63 bytes of a longer name (NAMEDATALEN - 1), silently.
inline constexpr std::size_t kMaxIdentifier = 63;

// A table or index: schema and name, both unquoted.
struct ObjectName {
  std::string schema = "public";
  std::string name;
  std::string display() const { return schema + "." + name; }  // for messages
  bool operator==(const ObjectName&) const = default;
  auto operator<=>(const ObjectName&) const = default;
};

struct Ident {
  std::string_view name;
};

}  // namespace mig

template <>
struct std::hash<mig::ObjectName> {
  std::size_t operator()(const mig::ObjectName& n) const noexcept {
    return std::hash<std::string>{}(n.schema) * 31 + std::hash<std::string>{}(n.name);
  }
};

template <>
struct fmt::formatter<mig::Ident> : fmt::formatter<std::string_view> {
  auto format(const mig::Ident& id, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(mig::quote_ident(id.name), ctx);
  }
};

template <>
struct fmt::formatter<mig::ObjectName> : fmt::formatter<std::string_view> {
  auto format(const mig::ObjectName& n, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(
        mig::quote_ident(n.schema) + "." + mig::quote_ident(n.name), ctx);
  }
};
