#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class ValidateConstraintOp final : public Operation {
 public:
  explicit ValidateConstraintOp(const ast::ValidateConstraint& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::ValidateConstraint& written_;
};

}  // namespace

std::string ValidateConstraintOp::describe() const {
  return fmt::format("validate constraint {} of {}", written_.name.value,
                     written_.table.name.display());
}

void ValidateConstraintOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name,
                   [&](Table& t) { t.find_constraint(written_.name.value)->validated = true; });
}

std::vector<PlanStep> ValidateConstraintOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name,
                               fmt::format("VALIDATE CONSTRAINT {}", Ident{written_.name.value})))};
}

// PostgreSQL cannot mark a constraint not valid again; dropping it and adding it back
// `not valid` restores the exact state, and neither statement scans the table.
std::vector<PlanStep> ValidateConstraintOp::down(const SchemaModel& before) const {
  const auto& c = *before.find_table(written_.table.name)->find_constraint(written_.name.value);
  std::vector<PlanStep> steps{
      drop_constraint_step(written_.table.name, written_.name.value, " to add it back not valid")};
  append(steps, add_constraint_steps(written_.table.name, c));
  return steps;
}

OperationPtr resolve(const ast::ValidateConstraint& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  const auto* c = t ? require_constraint(*t, written.name, ctx) : nullptr;
  if (!c) return nullptr;
  if (c->validated) {
    ctx.error(written.name.span,
              fmt::format("constraint `{}` is already valid", written.name.value),
              "only a constraint added `not valid` needs validating");
    return nullptr;
  }
  return std::make_unique<ValidateConstraintOp>(written);
}

}  // namespace mig
