#pragma once

// Runs `up`, `status` or `verify` against many targets at once: each target on its own
// thread and connection with its own Runner, so one target's lock wait, failure or long
// backfill holds up no other. Bounded overall and per host; `up` can go in waves (a canary
// group first) and stops starting targets at the first failure unless told to go on.

#include <optional>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/fleet_progress.hpp"
#include "runtime/fleet_report.hpp"
#include "runtime/fleet_targets.hpp"
#include "runtime/runner.hpp"

namespace mig {

struct FleetOptions {
  int jobs = 4;           // targets at a time
  int jobs_per_host = 0;  // targets at a time on one host (host:port); 0: only `jobs` bounds it
  int canary = 0;         // up: the first this many targets form a wave that must all succeed
  bool continue_on_error = false;  // up: a failed target stops no other from starting
};

struct FleetRequest {
  FleetCommand command = FleetCommand::Up;
  const Plan* plan = nullptr;
  std::optional<int> to_version;  // up
  RunOptions run_options;
  FleetOptions fleet;
};

// One result per target, in the targets' order; targets that did not run are `skipped`.
std::vector<TargetResult> run_fleet(const std::vector<FleetTarget>&, const FleetRequest&,
                                    FleetProgress&);

}  // namespace mig
