#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class AddConstraintOp final : public Operation {
 public:
  AddConstraintOp(const ast::AddConstraint& written, Constraint added)
      : written_(written), added_(std::move(added)) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::AddConstraint& written_;
  Constraint added_;
};

}  // namespace

std::string AddConstraintOp::describe() const {
  return fmt::format("add constraint to {}", written_.table.name.display());
}

void AddConstraintOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name, [&](Table& t) {
    if (written_.constraint.using_index)
      std::erase_if(t.indexes, [&](const Index& i) {
        return i.name == written_.constraint.using_index->name.name;
      });
    if (added_.kind == ConstraintKind::PrimaryKey)
      for (const auto& name : added_.columns) t.find_column(name)->not_null = true;
    t.constraints.push_back(added_);
  });
}

std::vector<PlanStep> AddConstraintOp::up(const SchemaModel& before) const {
  const auto& c = added_;
  if (!written_.constraint.using_index) return add_constraint_steps(written_.table.name, c);
  const auto& t = *before.find_table(written_.table.name);
  bool nullable = false;
  for (const auto& name : c.columns) nullable |= !t.find_column(name)->not_null;
  const auto kind = c.kind == ConstraintKind::PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
  return {
      step(fmt::format("add constraint {} to {} using index {}", c.name,
                       written_.table.name.display(), written_.constraint.using_index->name.name),
           alter_table_sql(written_.table.name,
                           fmt::format("ADD CONSTRAINT {} {} USING INDEX {}{}", Ident{c.name}, kind,
                                       Ident{written_.constraint.using_index->name.name},
                                       deferral_sql(c.deferral))))};
}

std::vector<PlanStep> AddConstraintOp::down(const SchemaModel& before) const {
  const auto& c = added_;
  const auto& t = *before.find_table(written_.table.name);
  std::vector<PlanStep> steps{drop_constraint_step(written_.table.name, c.name)};
  if (c.kind == ConstraintKind::PrimaryKey)
    for (const auto& name : c.columns)
      if (!t.find_column(name)->not_null)
        steps.push_back(
            step(fmt::format("drop not null of {}.{}", written_.table.name.display(), name),
                 alter_table_sql(written_.table.name,
                                 fmt::format("ALTER COLUMN {} DROP NOT NULL", Ident{name}))));
  if (written_.constraint.using_index) {
    const auto& index = *t.find_index(written_.constraint.using_index->name.name);
    append(steps, create_index_steps(written_.table.name, index));
  }
  return steps;
}

OperationPtr resolve(const ast::AddConstraint& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  if (!t) return nullptr;
  auto added = resolve_constraint(before, *t, written.constraint, ctx, ctx.version());
  if (!added) return nullptr;
  return std::make_unique<AddConstraintOp>(written, std::move(*added));
}

}  // namespace mig
