#pragma once

// How the runtime runs the steps of a migration: consecutive steps of one transaction
// together (one round trip, their record in mig.history inside), a backfill alone in keyset
// batches of one transaction each, a step outside a transaction alone. `mig up` runs them;
// `mig sql --pending` prints them.

#include <cstddef>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

struct StepGroup {
  enum class Kind { Transaction, Alone, Backfill };
  Kind kind = Kind::Transaction;
  std::size_t first = 0;  // steps[first, end)
  std::size_t end = 0;
};

// The groups of steps[first, steps.size()).
std::vector<StepGroup> step_groups(const std::vector<PlanStep>& steps, std::size_t first);

}  // namespace mig
