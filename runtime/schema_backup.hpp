#pragma once

// `mig up --backup-schema DIR`: the playbook's emergency net, a schema-only dump of the
// database taken right before the first pending migration runs.

#include <filesystem>
#include <string>

namespace mig {

// Writes `pg_dump --schema-only` of the database to DIR/<UTC timestamp>_before_<NNNN>.sql
// (DIR is created if missing) and returns the file's path. `pg_dump` is the program to run;
// empty: the PostgreSQL 15 one of Debian when installed, else `pg_dump` from PATH.
// Throws RuntimeError, leaving no partial file, when the dump cannot be written.
std::filesystem::path backup_schema(const std::string& database_url,
                                    const std::filesystem::path& dir, int first_pending_version,
                                    const std::string& pg_dump = {});

}  // namespace mig
