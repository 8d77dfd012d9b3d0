#pragma once

// Which steps must wait for their locks under the short lock_timeout.
//
// A statement waiting for a lock sits in the table's lock queue, and every later request
// that conflicts with the lock it waits for queues behind it. Waiting for SHARE or
// stronger (index build, foreign key, any ACCESS EXCLUSIVE ALTER TABLE) therefore stalls
// the application's writes, or all its queries, for as long as the wait lasts: such a
// wait must be short and retried. A wait for a weaker lock (SHARE UPDATE EXCLUSIVE of
// CREATE INDEX CONCURRENTLY or VALIDATE CONSTRAINT, ROW SHARE on a referenced table)
// conflicts with no read or write, so it harms nobody; cutting it short would only throw
// away work (a concurrent build that times out waiting for old snapshots after scanning
// the whole table leaves an INVALID index to rebuild from scratch).

#include <cstddef>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

// True when waiting for the locks of steps[first, end) would block the application's reads
// or writes: some lock is ROW EXCLUSIVE (row locks) or stronger, or a step's locks are
// unknown (none listed).
bool blocks_traffic_while_waiting(const std::vector<PlanStep>& steps, std::size_t first,
                                  std::size_t end);

// The listed locks of steps[first, end) whose wait would block the application's reads or
// writes: the ones worth waiting for, outside the lock queue, until no session holds a
// conflicting lock (runtime/lock_holders.hpp).
std::vector<TableLock> traffic_blocking_locks(const std::vector<PlanStep>& steps, std::size_t first,
                                              std::size_t end);

}  // namespace mig
