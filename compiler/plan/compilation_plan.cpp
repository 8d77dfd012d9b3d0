// Compilation::plan(), apart from the compiler so that a program that never writes or runs a
// plan (`mig lint`) links no SHA-256, and loads no OpenSSL (cli/CMakeLists.txt).

#include "compiler/plan/compiler.hpp"
#include "plan/sha256.hpp"

namespace mig {

Plan Compilation::plan() const {
  Plan p;
  p.compiler_version = MIG_VERSION;
  p.target_pg_version = target_pg_version;
  for (const auto& m : migrations) {
    auto& planned = p.migrations.emplace_back(m.plan);
    planned.source_checksum = sha256_hex(m.source->text());
    planned.plan_checksum = compute_plan_checksum(planned);
  }
  return p;
}

}  // namespace mig
