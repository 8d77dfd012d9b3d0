#include "runtime/step_groups.hpp"

namespace mig {

std::vector<StepGroup> step_groups(const std::vector<PlanStep>& steps, std::size_t first) {
  std::vector<StepGroup> groups;
  for (auto i = first; i < steps.size();) {
    const auto& step = steps[i];
    if (step.backfill) {
      groups.push_back({StepGroup::Kind::Backfill, i, i + 1});
    } else if (!step.transaction) {
      groups.push_back({StepGroup::Kind::Alone, i, i + 1});
    } else {
      auto end = i + 1;
      while (end < steps.size() && steps[end].transaction == step.transaction &&
             !steps[end].backfill)
        ++end;
      groups.push_back({StepGroup::Kind::Transaction, i, end});
    }
    i = groups.back().end;
  }
  return groups;
}

}  // namespace mig
