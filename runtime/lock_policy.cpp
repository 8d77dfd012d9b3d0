#include "runtime/lock_policy.hpp"

namespace mig {

namespace {

// Conflicts with neither reads nor writes. ROW EXCLUSIVE conflicts with neither either, but
// a statement that takes it changes rows, and the row locks it holds while it waits block
// writers.
bool harmless(LockMode mode) {
  return !blocks_reads(mode) && !blocks_writes(mode) && mode != LockMode::RowExclusive;
}

}  // namespace

bool blocks_traffic_while_waiting(const std::vector<PlanStep>& steps, std::size_t first,
                                  std::size_t end) {
  for (auto i = first; i < end; ++i) {
    const auto& locks = steps[i].lock.locks;
    if (locks.empty()) return true;
    for (const auto& lock : locks)
      if (!harmless(lock.mode)) return true;
  }
  return false;
}

std::vector<TableLock> traffic_blocking_locks(const std::vector<PlanStep>& steps, std::size_t first,
                                              std::size_t end) {
  std::vector<TableLock> locks;
  for (auto i = first; i < end; ++i)
    for (const auto& lock : steps[i].lock.locks)
      if (!harmless(lock.mode)) locks.push_back(lock);
  return locks;
}

}  // namespace mig
