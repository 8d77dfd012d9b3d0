#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string DropNotNull::describe() const {
  return fmt::format("drop not null of {}.{}", table.name.display(), column.value);
}

bool DropNotNull::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  const auto* c = t ? require_column(*t, column, ctx) : nullptr;
  if (!c) return false;
  if (!c->not_null) {
    ctx.error(column.span, fmt::format("column `{}` is already nullable", column.value));
    return false;
  }
  const auto* pk = t->primary_key();
  if (pk && std::find(pk->columns.begin(), pk->columns.end(), column.value) != pk->columns.end()) {
    ctx.error(column.span,
              fmt::format("column `{}` is in primary key `{}`", column.value, pk->name));
    return false;
  }
  if (c->identity != Identity::None) {
    ctx.error(column.span, fmt::format("identity column `{}` must stay not null", column.value));
    return false;
  }
  return true;
}

void DropNotNull::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) { t.find_column(column.value)->not_null = false; });
}

std::vector<PlanStep> DropNotNull::up(const SchemaModel&) const {
  return {step(describe(), alter_table_sql(table.name, fmt::format("ALTER COLUMN {} DROP NOT NULL",
                                                                   Ident{column.value})))};
}

std::vector<PlanStep> DropNotNull::down(const SchemaModel&) const {
  return {step(fmt::format("set {}.{} not null again", table.name.display(), column.value),
               alter_table_sql(table.name,
                               fmt::format("ALTER COLUMN {} SET NOT NULL", Ident{column.value})))};
}

Reversal DropNotNull::reversal(const SchemaModel&) const {
  return {Reversibility::Reversible,
          fmt::format("the downgrade sets `{}` of `{}` not null again: it fails while the table "
                      "has rows where `{}` is NULL",
                      column.value, table.name.display(), column.value)};
}

}  // namespace mig
