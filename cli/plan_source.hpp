#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "plan/plan.hpp"

namespace mig::cli {

// Where a runtime command gets its plan: a compiled plan directory (`--plan DIR`, all a
// deploy box needs), or a migrations directory compiled in memory.
struct PlanSource {
  std::string migrations_dir;  // positional DIR; used when plan_dir is empty
  std::string plan_dir;        // --plan
};

// Why there is no plan: nothing to read at the place given (a usage or I/O error), or what
// was read is refused: sources that do not compile, or a plan directory changed after
// `mig compile`.
enum class PlanProblem { Unreadable, Refused };

// Loads or compiles the plan. A plan directory is read with read_plan, which refuses a
// manifest or script changed after `mig compile`. On failure prints the diagnostics or
// the error to `err` and sets `problem`.
std::optional<Plan> load_plan(const PlanSource&, std::ostream& err, PlanProblem& problem);

}  // namespace mig::cli
