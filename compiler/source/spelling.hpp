#pragma once

// Suggestions for misspelt names: "did you mean `x`?".

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace mig {

// How many single-character insertions, deletions, substitutions and swaps of neighbours
// turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The name among `candidates` (each projected to a name) closest to `wanted`, or empty when
// none is close enough to be a misspelling of it.
template <typename Range, typename Project>
std::string closest_name(std::string_view wanted, Range&& candidates, Project project) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, wanted.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::string name(project(c));
    const auto d = edit_distance(wanted, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  return best;
}

}  // namespace mig
