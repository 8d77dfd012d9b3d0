#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropConstraintOp final : public Operation {
 public:
  explicit DropConstraintOp(const ast::DropConstraint& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::DropConstraint& written_;
};

}  // namespace

std::string DropConstraintOp::describe() const {
  return fmt::format("drop constraint {} from {}", written_.name.value,
                     written_.table.name.display());
}

void DropConstraintOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name, [&](Table& t) {
    std::erase_if(t.constraints,
                  [&](const Constraint& c) { return c.name == written_.name.value; });
  });
}

std::vector<PlanStep> DropConstraintOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name,
                               fmt::format("DROP CONSTRAINT {}", Ident{written_.name.value})))};
}

std::vector<PlanStep> DropConstraintOp::down(const SchemaModel& before) const {
  return add_constraint_steps(
      written_.table.name,
      *before.find_table(written_.table.name)->find_constraint(written_.name.value));
}

OperationPtr resolve(const ast::DropConstraint& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  const auto* c = t ? require_constraint(*t, written.name, ctx) : nullptr;
  if (!c) return nullptr;
  if (c->kind == ConstraintKind::PrimaryKey || c->kind == ConstraintKind::Unique) {
    for (const auto& [other, fk] : before.foreign_keys_to(written.table.name)) {
      if (fk->references->columns != c->columns) continue;
      ctx.error(written.name.span,
                fmt::format("foreign key `{}` of table `{}` depends on `{}`", fk->name,
                            other->name.display(), c->name),
                fmt::format("drop constraint `{}` first", fk->name));
      return nullptr;
    }
  }
  return std::make_unique<DropConstraintOp>(written);
}

}  // namespace mig
