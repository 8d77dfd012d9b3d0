#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string SetNotNull::describe() const {
  return fmt::format("set {}.{} not null", table.name.display(), column.value);
}

bool SetNotNull::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  const auto* c = t ? require_column(*t, column, ctx) : nullptr;
  if (c && c->not_null)
    ctx.error(column.span, fmt::format("column `{}` is already not null", column.value));
  return c && !c->not_null;
}

void SetNotNull::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) { t.find_column(column.value)->not_null = true; });
}

std::vector<PlanStep> SetNotNull::up(const SchemaModel&) const {
  return {step(describe(), alter_table_sql(table.name, fmt::format("ALTER COLUMN {} SET NOT NULL",
                                                                   Ident{column.value})))};
}

std::vector<PlanStep> SetNotNull::down(const SchemaModel&) const {
  return {step(fmt::format("drop not null of {}.{}", table.name.display(), column.value),
               alter_table_sql(table.name,
                               fmt::format("ALTER COLUMN {} DROP NOT NULL", Ident{column.value})))};
}

}  // namespace mig
