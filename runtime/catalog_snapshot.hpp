#pragma once

// A database's schema as one line of text per object, read from the catalog
// (runtime/live_schema.hpp), for `mig test`: two snapshots compared say which objects a
// downgrade left behind, lost or changed. Column order is not part of it: a column that a
// downgrade re-adds comes last, and no ALTER TABLE can move it back.

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace mig {

// Object (`column public.users.email`, `index public.users_email_idx` ...) -> its definition.
using CatalogSnapshot = std::map<std::string, std::string>;

CatalogSnapshot catalog_snapshot(pqxx::connection&);

struct SnapshotDifference {
  std::string object;
  std::optional<std::string> expected;  // nullopt: the object should not be there
  std::optional<std::string> actual;    // nullopt: the object is missing
};

// Every object whose definition differs, in object order.
std::vector<SnapshotDifference> compare_snapshots(const CatalogSnapshot& expected,
                                                  const CatalogSnapshot& actual);

}  // namespace mig
