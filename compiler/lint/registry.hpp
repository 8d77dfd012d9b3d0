#pragma once

#include <memory>
#include <vector>

#include "compiler/lint/rule.hpp"

namespace mig {

#define MIG_RULE(name) std::unique_ptr<Rule> make_##name();
#include "compiler/lint/rules.def"
#undef MIG_RULE

// All rules, in rules.def order.
const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view id);
// The rule's documentation page (docs/rules/<id>.md), or empty.
std::string_view rule_doc(std::string_view id);

}  // namespace mig
