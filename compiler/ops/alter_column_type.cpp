#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string AlterColumnType::describe() const {
  return fmt::format("change type of {}.{} to {}", table.name.display(), column.value, type.text);
}

bool AlterColumnType::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  return t && require_column(*t, column, ctx) && require_type(before, type, ctx, false);
}

void AlterColumnType::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) { t.find_column(column.value)->type = type.text; });
}

std::vector<PlanStep> AlterColumnType::up(const SchemaModel&) const {
  auto action = fmt::format("ALTER COLUMN {} TYPE {}", Ident{column.value}, type.text);
  if (using_expr) action += " USING " + using_expr->text;
  return {step(describe(), alter_table_sql(table.name, action))};
}

std::vector<PlanStep> AlterColumnType::down(const SchemaModel& before) const {
  const auto& old_type = before.find_table(table.name)->find_column(column.value)->type;
  auto action = fmt::format("ALTER COLUMN {} TYPE {}", Ident{column.value}, old_type);
  if (using_expr) action += fmt::format(" USING {}::{}", Ident{column.value}, old_type);
  return {step(
      fmt::format("change type of {}.{} back to {}", table.name.display(), column.value, old_type),
      alter_table_sql(table.name, action))};
}

Reversal AlterColumnType::reversal(const SchemaModel&) const {
  if (!using_expr) return {};
  return {Reversibility::Lossy,
          fmt::format("the downgrade casts `{}` back to its old type; what `using` computed is "
                      "not undone",
                      column.value)};
}

}  // namespace mig
