#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string DropColumn::describe() const {
  return fmt::format("drop column {} from {}", column.value, table.name.display());
}

bool DropColumn::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t || !require_column(*t, column, ctx)) return false;
  for (const auto& [other, fk] : before.foreign_keys_to(table.name, column.value)) {
    ctx.error(column.span,
              fmt::format("column `{}` is referenced by foreign key `{}` of table `{}`",
                          column.value, fk->name, other->name.display()),
              fmt::format("drop constraint `{}` first", fk->name));
    return false;
  }
  return true;
}

// PostgreSQL drops the indexes and constraints that involve the column along with it.
void DropColumn::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) {
    std::erase_if(t.columns, [&](const Column& c) { return c.name == column.value; });
    std::erase_if(t.constraints,
                  [&](const Constraint& c) { return mentions_column(c, column.value); });
    std::erase_if(t.indexes, [&](const Index& i) { return mentions_column(i, column.value); });
  });
}

std::vector<PlanStep> DropColumn::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(table.name, fmt::format("DROP COLUMN {}", Ident{column.value})))};
}

std::vector<PlanStep> DropColumn::down(const SchemaModel& before) const {
  const auto& t = *before.find_table(table.name);
  std::vector<PlanStep> steps{
      step(fmt::format("re-add column {} to {}", column.value, table.name.display()),
           alter_table_sql(table.name, "ADD COLUMN " + column_sql(*t.find_column(column.value))))};
  for (const auto& c : t.constraints)
    if (mentions_column(c, column.value)) steps.push_back(add_constraint_step(table.name, c));
  for (const auto& i : t.indexes)
    if (mentions_column(i, column.value))
      steps.push_back(step(fmt::format("re-create index {} on {}", i.name, table.name.display()),
                           create_index_sql(table.name, i, false)));
  return steps;
}

Reversal DropColumn::reversal(const SchemaModel& before) const {
  const auto& c = *before.find_table(table.name)->find_column(column.value);
  if (c.not_null && !c.default_expr && c.identity == Identity::None)
    return {Reversibility::Lossy,
            fmt::format("the downgrade re-adds column `{}` of `{}` not null without a default: it "
                        "fails while the table has rows",
                        column.value, table.name.display())};
  return {Reversibility::Lossy,
          fmt::format("the downgrade re-adds column `{}` of `{}` without its data", column.value,
                      table.name.display())};
}

}  // namespace mig
