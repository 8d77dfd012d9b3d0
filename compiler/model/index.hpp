#pragma once

// An index as the model keeps it, on a table or a materialized view.

#include <optional>
#include <string>
#include <vector>

namespace mig {

struct IndexKey {
  std::optional<std::string> column;  // a plain column key
  std::string sql;                    // the key as emitted
};

// An exclusion constraint's index: no two rows may have keys that all satisfy their
// operators.
struct Exclusion {
  std::string method;  // empty: btree
  std::vector<IndexKey> keys;
  std::vector<std::string> operators;  // one per key, as written: `=`, `&&`
  std::string where;                   // the predicate, empty: every row
};

struct Index {
  std::string name;
  bool unique = false;
  std::string method;  // empty: btree
  std::vector<IndexKey> keys;
  std::string where;
  std::vector<std::string> include;
  bool nulls_not_distinct = false;
  std::string with;  // storage parameters, in their parentheses
  std::optional<std::string> comment{};
};

}  // namespace mig
