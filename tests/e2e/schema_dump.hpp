#pragma once

// The schema of a database as pg_dump prints it, for comparing a schema before an
// upgrade with the schema after its downgrade.

#include <string>

namespace mig::test {

// `pg_dump --schema-only` without mig's own history schema, comments and session
// settings. Column lines inside CREATE [UNLOGGED] TABLE are sorted: PostgreSQL appends a column
// re-added by a downgrade at the end, and no ALTER TABLE can put it back in its old place.
std::string schema_dump(const std::string& url);

}  // namespace mig::test
