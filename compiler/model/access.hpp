#pragma once

// Who may read and change what: privileges granted on tables, views and schemas, and a
// table's row-level security with its policies. Each keeps what re-creates it exactly, so
// a downgrade can restore what a drop or a revoke took away.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mig {

enum class PrivilegeTarget { Table, Schema, Function, Sequence };

// The privileges that `all` stands for on the target, as PostgreSQL 15 names them.
const std::vector<std::string>& all_privileges(PrivilegeTarget);

// The privileges granted on one object, grantee by grantee in the order they were first
// granted: the order PostgreSQL keeps them in the object's ACL and pg_dump writes them in.
class Grants {
 public:
  using Privileges = std::set<std::string>;  // upper case: SELECT, USAGE

  // What PostgreSQL grants on a new object of some kinds: USAGE on the public schema and
  // EXECUTE on a function, to PUBLIC.
  static Grants initial(const std::string& role, const Privileges& privileges) {
    Grants grants;
    grants.grant(role, privileges);
    return grants;
  }

  Privileges held(std::string_view role) const;
  // What is added (returned: what the role did not hold before).
  Privileges grant(const std::string& role, const Privileges&);
  // What is taken away (returned: what the role held).
  Privileges revoke(const std::string& role, const Privileges&);
  const std::vector<std::pair<std::string, Privileges>>& by_role() const { return by_role_; }

 private:
  std::vector<std::pair<std::string, Privileges>> by_role_;
};

// `insert, select`, for descriptions and messages.
std::string privilege_list(const Grants::Privileges&);

// GRANT SELECT, INSERT ON TABLE "s"."t" TO "a", "b" (or REVOKE ... FROM); `object` is
// SQL (`TABLE "s"."t"`, `SCHEMA "s"`); role `public` is the PUBLIC pseudo-role.
std::string grant_sql(bool revoke, std::string_view object, const std::vector<std::string>& roles,
                      const Grants::Privileges&);

struct Policy {
  std::string name;
  std::string clauses;               // AS, FOR, TO, USING, WITH CHECK, as written
  std::vector<std::string> columns;  // of its table, named in USING and WITH CHECK
};

struct RowSecurity {
  bool enabled = false;
  bool forced = false;  // applies to the table's owner too
  std::vector<Policy> policies;
};

std::string create_policy_sql(std::string_view table, const Policy&);

}  // namespace mig
