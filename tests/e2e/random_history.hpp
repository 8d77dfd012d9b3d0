#pragma once

// Random but valid `.mig` histories for the round-trip property test. Every statement
// compiles against the history before it, and every upgrade succeeds on the rows the
// history's inserts leave: inserted values are never NULL (except in foreign key columns,
// which always get NULL), are unique per column and satisfy every check the generator
// writes; a column that may hold NULLs or repeated values is never made not null or unique.

#include <cstdint>
#include <string>
#include <vector>

namespace mig::test {

struct RandomMigration {
  std::string file_name;  // NNNN_step.mig
  std::string source;
  // Run after the migration is applied: rows that are valid in its schema.
  std::vector<std::string> inserts;
};

std::vector<RandomMigration> random_history(std::uint64_t seed, int length);

}  // namespace mig::test
