#pragma once

#include <nlohmann/json.hpp>

namespace mig {

// Whether an expression's parse tree calls a function that is not known to be immutable
// or stable (such a default makes ADD COLUMN rewrite the table). Unknown functions count
// as volatile: a wrong "volatile" costs a warning, a wrong "stable" costs an outage.
bool is_volatile(const nlohmann::json& tree);

}  // namespace mig
