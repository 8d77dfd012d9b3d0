#pragma once

// Looking before joining a table's lock queue. A statement that asks for a lock another
// session holds waits in the queue, and every query on the table queues behind it: behind
// a transaction left open for minutes, all traffic stops. So before a step whose lock wait
// would block traffic (runtime/lock_policy.hpp), the runner asks pg_locks who holds a
// conflicting lock on the step's tables and, while someone does, waits outside the queue.
// Only then does it ask for the lock, under the short lock_timeout as before: a session
// may still take a conflicting lock in between, and the retries cover that race.
//
// A holder whose transaction is younger than `short_hold` is not waited for: traffic keeps
// short transactions coming at any moment, and queueing behind one costs its remaining few
// milliseconds (at most lock_timeout, after which the step is retried).

#include <chrono>
#include <iosfwd>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

struct LockLook {
  std::chrono::milliseconds short_hold;  // younger holders are not waited for
  std::chrono::milliseconds interval;    // between looks
  std::chrono::milliseconds bound;       // after this, stop waiting and try the lock anyway
};

// Sessions other than this one holding, granted, a lock that conflicts with one of `wanted`
// on its table, with how long their transaction has been open (when pg_stat_activity shows
// it) and a description for a person.
struct LockHolder {
  int pid = 0;  // 0: a prepared transaction
  std::optional<std::chrono::milliseconds> transaction_age;
  std::string description;  // `pid 42 (idle in transaction for 3.1 s, ...): ... holds ACCESS
                            // SHARE on public.accounts`
};
std::vector<LockHolder> conflicting_lock_holders(pqxx::transaction_base&,
                                                 const std::vector<TableLock>& wanted);

// Waits, polling on `connection` (the session that will ask for the locks), until no
// session holds a lock conflicting with `wanted` for longer than look.short_hold, saying
// on `out` whom it waits for (`what`: "step 3"). Returns false when look.bound passed first.
bool wait_outside_lock_queue(pqxx::connection&, const std::vector<TableLock>& wanted,
                             const LockLook&, const std::string& what, std::ostream& out);

}  // namespace mig
