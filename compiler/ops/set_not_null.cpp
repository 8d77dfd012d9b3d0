#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

// A valid CHECK (column IS NOT NULL) lets PostgreSQL 12+ skip the scan of SET NOT NULL.
bool proven_not_null(const Table& t, std::string_view column) {
  for (const auto& c : t.constraints) {
    if (c.kind != ConstraintKind::Check || !c.validated) continue;
    const auto& tree = parse_in_context("ALTER TABLE t ADD CHECK (", c.check, ")");
    if (!std::holds_alternative<nlohmann::json>(tree)) continue;
    const auto* test = find_node(std::get<nlohmann::json>(tree), "NullTest");
    if (test && test->value("nulltesttype", "") == "IS_NOT_NULL" &&
        column_refs(*test) == std::vector<std::string>{std::string(column)} &&
        !find_node(std::get<nlohmann::json>(tree), "BoolExpr"))
      return true;
  }
  return false;
}

}  // namespace

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

std::vector<PlanStep> SetNotNull::up(const SchemaModel& before) const {
  const bool scans = !proven_not_null(*before.find_table(table.name), column.value);
  return {step(
      describe(),
      alter_table_sql(table.name, fmt::format("ALTER COLUMN {} SET NOT NULL", Ident{column.value})),
      lock_on(table.name, kAccessExclusive, false, scans))};
}

std::vector<PlanStep> SetNotNull::down(const SchemaModel&) const {
  return {step(fmt::format("drop not null of {}.{}", table.name.display(), column.value),
               alter_table_sql(table.name,
                               fmt::format("ALTER COLUMN {} DROP NOT NULL", Ident{column.value})),
               lock_on(table.name, kAccessExclusive))};
}

}  // namespace mig
