#pragma once

// `mig baseline`: adopts a database that mig has never migrated. Writes the `.mig` source
// of its schema as the first migration of an empty directory, checks that it compiles,
// and records it as applied in the database's history without running it.

#include <iosfwd>
#include <string>

namespace mig::cli {

struct BaselineRequest {
  std::string database_url;
  std::string migrations_dir;
  std::string name;  // the migration's snake_case name: 0001_<name>.mig
};

// Says on `out` what it wrote and recorded, and on `err` each object it could not express.
// Throws RuntimeError when the database or the written source fails, std::runtime_error for
// a request it refuses (a directory with migrations, a bad name).
void write_baseline(const BaselineRequest&, std::ostream& out, std::ostream& err);

}  // namespace mig::cli
