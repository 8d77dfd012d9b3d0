#include "compiler/lint/registry.hpp"

#include "rule_docs.hpp"  // generated from docs/rules/*.md

namespace mig {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const auto rules = [] {
    std::vector<std::unique_ptr<Rule>> out;
#define MIG_RULE(name) out.push_back(make_##name());
#include "compiler/lint/rules.def"
#undef MIG_RULE
    return out;
  }();
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& r : all_rules())
    if (r->id() == id) return r.get();
  return nullptr;
}

std::string_view rule_doc(std::string_view id) {
  for (const auto& [name, text] : kRuleDocs)
    if (name == id) return text;
  return {};
}

}  // namespace mig
