#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string ValidateConstraint::describe() const {
  return fmt::format("validate constraint {} of {}", name.value, table.name.display());
}

bool ValidateConstraint::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  const auto* c = t ? require_constraint(*t, name, ctx) : nullptr;
  if (c && c->validated)
    ctx.error(name.span, fmt::format("constraint `{}` is already valid", name.value),
              "only a constraint added `not valid` needs validating");
  return c && !c->validated;
}

void ValidateConstraint::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) { t.find_constraint(name.value)->validated = true; });
}

std::vector<PlanStep> ValidateConstraint::up(const SchemaModel&) const {
  return {step(describe(), alter_table_sql(table.name, fmt::format("VALIDATE CONSTRAINT {}",
                                                                   Ident{name.value})))};
}

// PostgreSQL cannot mark a constraint not valid again; dropping it and adding it back
// `not valid` restores the exact state, and neither statement scans the table.
std::vector<PlanStep> ValidateConstraint::down(const SchemaModel& before) const {
  const auto& c = *before.find_table(table.name)->find_constraint(name.value);
  auto drop =
      step(fmt::format("drop constraint {} to add it back not valid", name.value),
           alter_table_sql(table.name, fmt::format("DROP CONSTRAINT {}", Ident{name.value})));
  return {drop, add_constraint_step(table.name, c)};
}

}  // namespace mig
