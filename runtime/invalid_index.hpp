#pragma once

// A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; re-running the
// statement then fails ("already exists") or, with IF NOT EXISTS, silently keeps the
// broken index. The runtime drops such a leftover before it builds the index again.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

namespace mig {

struct ConcurrentIndexBuild {
  std::string index_name;  // as stored in pg_class.relname
  std::string table;       // quoted, as to_regclass() reads it
};

// What `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table ...`
// builds; nullopt for any other statement (or an index without a name).
std::optional<ConcurrentIndexBuild> parse_concurrent_index_build(std::string_view sql);

// The INVALID index the build would collide with, as a quoted qualified name; nullopt when
// there is none.
std::optional<std::string> find_invalid_index(pqxx::transaction_base&, const ConcurrentIndexBuild&);

}  // namespace mig
