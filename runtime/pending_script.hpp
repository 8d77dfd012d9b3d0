#pragma once

// What `mig sql --pending` prints: the SQL `mig up` would run on a database now, as it runs
// it. Each group of steps (runtime/step_groups.hpp) appears as it is sent: a transaction
// between BEGIN and COMMIT, a step outside a transaction alone, a backfill as the
// statement each of its batches runs, with the batch size and, when resuming, the key it
// resumes after; and the session's lock_timeout wherever the runtime changes it.

#include <chrono>
#include <string>
#include <vector>

#include "runtime/migration_state.hpp"

namespace mig {

std::string pending_script(const std::vector<UpTarget>&, int database_version,
                           std::chrono::milliseconds lock_timeout,
                           std::chrono::milliseconds statement_timeout);

}  // namespace mig
