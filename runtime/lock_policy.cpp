#include "runtime/lock_policy.hpp"

#include <array>
#include <string_view>

namespace mig {

namespace {

// The lock modes that conflict with neither ACCESS SHARE (reads) nor ROW EXCLUSIVE
// (INSERT, UPDATE, DELETE). ROW EXCLUSIVE itself is not among them: a statement that
// takes it changes rows, and the row locks it holds while it waits block writers.
constexpr std::array<std::string_view, 3> kHarmlessModes = {"ACCESS SHARE", "ROW SHARE",
                                                            "SHARE UPDATE EXCLUSIVE"};

bool harmless(std::string_view mode) {
  for (const auto candidate : kHarmlessModes)
    if (mode == candidate) return true;
  return false;
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

}  // namespace mig
