#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

PlanStep default_step(const ObjectName& table, const std::string& column,
                      const std::optional<std::string>& value) {
  const auto action = value ? fmt::format("ALTER COLUMN {} SET DEFAULT {}", Ident{column}, *value)
                            : fmt::format("ALTER COLUMN {} DROP DEFAULT", Ident{column});
  const auto description =
      value ? fmt::format("set default of {}.{} to {}", table.display(), column, *value)
            : fmt::format("drop default of {}.{}", table.display(), column);
  return step(description, alter_table_sql(table, action));
}

const Column* checked_column(const SchemaModel& before, const TableRef& table,
                             const NameRef& column, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  const auto* c = t ? require_column(*t, column, ctx) : nullptr;
  if (c && c->identity != Identity::None) {
    ctx.error(column.span,
              fmt::format("identity column `{}` has no default to change", column.value));
    return nullptr;
  }
  return c;
}

const std::optional<std::string>& old_default(const SchemaModel& before, const TableRef& table,
                                              const NameRef& column) {
  return before.find_table(table.name)->find_column(column.value)->default_expr;
}

}  // namespace

std::string SetDefault::describe() const {
  return fmt::format("set default of {}.{} to {}", table.name.display(), column.value,
                     default_expr.text);
}

bool SetDefault::check(const SchemaModel& before, CheckContext& ctx) {
  return checked_column(before, table, column, ctx) != nullptr;
}

void SetDefault::apply(SchemaModel& model, int) const {
  model.edit_table(
      table.name, [&](Table& t) { t.find_column(column.value)->default_expr = default_expr.text; });
}

std::vector<PlanStep> SetDefault::up(const SchemaModel&) const {
  return {default_step(table.name, column.value, default_expr.text)};
}

std::vector<PlanStep> SetDefault::down(const SchemaModel& before) const {
  return {default_step(table.name, column.value, old_default(before, table, column))};
}

std::string DropDefault::describe() const {
  return fmt::format("drop default of {}.{}", table.name.display(), column.value);
}

bool DropDefault::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* c = checked_column(before, table, column, ctx);
  if (c && !c->default_expr)
    ctx.error(column.span, fmt::format("column `{}` has no default", column.value));
  return c && c->default_expr;
}

void DropDefault::apply(SchemaModel& model, int) const {
  model.edit_table(table.name,
                   [&](Table& t) { t.find_column(column.value)->default_expr.reset(); });
}

std::vector<PlanStep> DropDefault::up(const SchemaModel&) const {
  return {default_step(table.name, column.value, std::nullopt)};
}

std::vector<PlanStep> DropDefault::down(const SchemaModel& before) const {
  return {default_step(table.name, column.value, old_default(before, table, column))};
}

}  // namespace mig
