#pragma once

// `mig test`: each migration of a plan applied, reverted and applied again on a database,
// with the catalog (runtime/catalog_snapshot.hpp) compared at every version. Optionally a
// seed script fills the tables at one version, so the migrations after it are tested on
// tables with rows: a downgrade that only works on empty tables fails there.

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/catalog_snapshot.hpp"
#include "runtime/runner.hpp"

namespace mig {

struct RollbackTestOptions {
  // Migrations below this version are applied once, untested.
  int from_version = 0;
  // Run after migration `seed_at` is applied (0: on the empty database), in one transaction.
  std::optional<std::filesystem::path> seed_sql;
  int seed_at = 0;
};

enum class RollbackOutcome {
  Passed,        // down left the schema of the version before, up again the same schema
  Differs,       // it ran, but a snapshot differs
  Failed,        // a step failed; nothing after it was tested
  Irreversible,  // applied once; it has no downgrade to test
};

struct RollbackCheck {
  int version = 0;
  std::string name;  // NNNN_name
  RollbackOutcome outcome = RollbackOutcome::Passed;
  // After `down`: what the version before had, against what is there.
  std::vector<SnapshotDifference> after_down;
  // After `up` again: what the first `up` left, against what is there.
  std::vector<SnapshotDifference> after_up_again;
  std::string failed_phase;  // "up", "down", "up again"; with Failed
  std::string error;         // the runner's whole story: migration, step, SQL, server message
};

struct RollbackReport {
  std::vector<RollbackCheck> checks;  // the migrations tested, in order, up to a failure
  std::vector<std::string> untested;  // NNNN_name of those after a failure
  // Where and when the seed ran, or its failure (then nothing was tested after it).
  std::string seed_note;
  bool seed_failed = false;
  bool passed() const;
};

// Tests `plan` on the empty database at `url`; what the runner prints goes to `log`.
// Throws RuntimeError for what stops it before a test: the database not empty of mig
// history, the seed file unreadable, `seed_at` or `from_version` not in the plan.
RollbackReport test_rollbacks(const std::string& url, const Plan&, const RollbackTestOptions&,
                              const RunOptions&, std::ostream& log);

std::string_view to_string(RollbackOutcome);

}  // namespace mig
