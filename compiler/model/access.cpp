#include "compiler/model/access.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "compiler/sql/quote.hpp"

namespace mig {

const std::vector<std::string>& all_privileges(PrivilegeTarget target) {
  static const std::vector<std::string> table{"SELECT",   "INSERT",     "UPDATE", "DELETE",
                                              "TRUNCATE", "REFERENCES", "TRIGGER"};
  static const std::vector<std::string> schema{"USAGE", "CREATE"};
  static const std::vector<std::string> function{"EXECUTE"};
  static const std::vector<std::string> sequence{"USAGE", "SELECT", "UPDATE"};
  switch (target) {
    case PrivilegeTarget::Table:
      return table;
    case PrivilegeTarget::Schema:
      return schema;
    case PrivilegeTarget::Function:
      return function;
    case PrivilegeTarget::Sequence:
      return sequence;
  }
  return table;
}

Grants::Privileges Grants::held(std::string_view role) const {
  for (const auto& [r, privileges] : by_role_)
    if (r == role) return privileges;
  return {};
}

Grants::Privileges Grants::grant(const std::string& role, const Privileges& privileges) {
  auto it = std::find_if(by_role_.begin(), by_role_.end(),
                         [&](const auto& entry) { return entry.first == role; });
  if (it == by_role_.end()) it = by_role_.insert(by_role_.end(), {role, {}});
  Privileges added;
  for (const auto& p : privileges)
    if (it->second.insert(p).second) added.insert(p);
  return added;
}

Grants::Privileges Grants::revoke(const std::string& role, const Privileges& privileges) {
  auto it = std::find_if(by_role_.begin(), by_role_.end(),
                         [&](const auto& entry) { return entry.first == role; });
  if (it == by_role_.end()) return {};
  Privileges removed;
  for (const auto& p : privileges)
    if (it->second.erase(p)) removed.insert(p);
  if (it->second.empty()) by_role_.erase(it);
  return removed;
}

std::string privilege_list(const Grants::Privileges& privileges) {
  auto out = fmt::format("{}", fmt::join(privileges, ", "));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string grant_sql(bool revoke, std::string_view object, const std::vector<std::string>& roles,
                      const Grants::Privileges& privileges) {
  std::vector<std::string> grantees;
  for (const auto& role : roles)
    grantees.push_back(role == "public" ? std::string("PUBLIC") : quote_ident(role));
  return fmt::format("{} {} ON {} {} {}", revoke ? "REVOKE" : "GRANT", fmt::join(privileges, ", "),
                     object, revoke ? "FROM" : "TO", fmt::join(grantees, ", "));
}

std::string create_policy_sql(std::string_view table, const Policy& policy) {
  return fmt::format("CREATE POLICY {} ON {}{}{}", quote_ident(policy.name), table,
                     policy.clauses.empty() ? "" : " ", policy.clauses);
}

}  // namespace mig
