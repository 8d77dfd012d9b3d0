#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string DropConstraint::describe() const {
  return fmt::format("drop constraint {} from {}", name.value, table.name.display());
}

bool DropConstraint::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  const auto* c = t ? require_constraint(*t, name, ctx) : nullptr;
  if (!c) return false;
  if (c->kind == ConstraintKind::PrimaryKey || c->kind == ConstraintKind::Unique) {
    for (const auto& [other, fk] : before.foreign_keys_to(table.name)) {
      if (fk->references->columns != c->columns) continue;
      ctx.error(name.span,
                fmt::format("foreign key `{}` of table `{}` depends on `{}`", fk->name,
                            other->name.display(), c->name),
                fmt::format("drop constraint `{}` first", fk->name));
      return false;
    }
  }
  return true;
}

void DropConstraint::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) {
    std::erase_if(t.constraints, [&](const Constraint& c) { return c.name == name.value; });
  });
}

std::vector<PlanStep> DropConstraint::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(table.name, fmt::format("DROP CONSTRAINT {}", Ident{name.value})))};
}

std::vector<PlanStep> DropConstraint::down(const SchemaModel& before) const {
  return {
      add_constraint_step(table.name, *before.find_table(table.name)->find_constraint(name.value))};
}

}  // namespace mig
