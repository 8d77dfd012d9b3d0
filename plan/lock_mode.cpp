#include "plan/lock_mode.hpp"

#include <array>

namespace mig {

namespace {

constexpr std::array<std::string_view, 8> kNames = {
    "ACCESS SHARE", "ROW SHARE",           "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
    "SHARE",        "SHARE ROW EXCLUSIVE", "EXCLUSIVE",     "ACCESS EXCLUSIVE"};

// kConflicts[a] has bit b set when mode a conflicts with mode b.
constexpr std::array<unsigned, 8> kConflicts = {
    0b10000000,  // ACCESS SHARE: ACCESS EXCLUSIVE
    0b11000000,  // ROW SHARE: EXCLUSIVE, ACCESS EXCLUSIVE
    0b11110000,  // ROW EXCLUSIVE: SHARE and stronger
    0b11111000,  // SHARE UPDATE EXCLUSIVE: itself and stronger
    0b11101100,  // SHARE: ROW EXCLUSIVE, SHARE UPDATE EXCLUSIVE, SHARE ROW EXCLUSIVE and stronger
    0b11111100,  // SHARE ROW EXCLUSIVE: ROW EXCLUSIVE and stronger
    0b11111110,  // EXCLUSIVE: all but ACCESS SHARE
    0b11111111,  // ACCESS EXCLUSIVE: all
};

}  // namespace

bool conflicts(LockMode a, LockMode b) {
  return (kConflicts[static_cast<int>(a)] >> static_cast<int>(b)) & 1u;
}

std::string_view to_string(LockMode m) { return kNames[static_cast<int>(m)]; }

std::optional<LockMode> lock_mode_named(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<LockMode>(i);
  return std::nullopt;
}

}  // namespace mig
