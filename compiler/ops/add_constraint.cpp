#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string AddConstraint::describe() const {
  return fmt::format("add constraint to {}", table.name.display());
}

bool AddConstraint::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t) return false;
  auto added = resolve_constraint(before, *t, constraint, ctx, ctx.version());
  if (!added) return false;
  added_ = std::move(*added);
  return true;
}

void AddConstraint::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) {
    if (constraint.using_index)
      std::erase_if(t.indexes,
                    [&](const Index& i) { return i.name == constraint.using_index->name.name; });
    if (added_.kind == ConstraintKind::PrimaryKey)
      for (const auto& name : added_.columns) t.find_column(name)->not_null = true;
    t.constraints.push_back(added_);
  });
}

std::vector<PlanStep> AddConstraint::up(const SchemaModel& before) const {
  const auto& c = added_;
  if (!constraint.using_index) return {add_constraint_step(table.name, c)};
  const auto& t = *before.find_table(table.name);
  bool nullable = false;
  for (const auto& name : c.columns) nullable |= !t.find_column(name)->not_null;
  const auto kind = c.kind == ConstraintKind::PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
  return {step(
      fmt::format("add constraint {} to {} using index {}", c.name, table.name.display(),
                  constraint.using_index->name.name),
      alter_table_sql(table.name, fmt::format("ADD CONSTRAINT {} {} USING INDEX {}", Ident{c.name},
                                              kind, Ident{constraint.using_index->name.name})))};
}

std::vector<PlanStep> AddConstraint::down(const SchemaModel& before) const {
  const auto& c = added_;
  const auto& t = *before.find_table(table.name);
  std::vector<PlanStep> steps{
      step(fmt::format("drop constraint {} from {}", c.name, table.name.display()),
           alter_table_sql(table.name, fmt::format("DROP CONSTRAINT {}", Ident{c.name})))};
  if (c.kind == ConstraintKind::PrimaryKey)
    for (const auto& name : c.columns)
      if (!t.find_column(name)->not_null)
        steps.push_back(
            step(fmt::format("drop not null of {}.{}", table.name.display(), name),
                 alter_table_sql(table.name,
                                 fmt::format("ALTER COLUMN {} DROP NOT NULL", Ident{name}))));
  if (constraint.using_index) {
    const auto& index = *t.find_index(constraint.using_index->name.name);
    steps.push_back(create_index_step(table.name, index));
  }
  return steps;
}

}  // namespace mig
