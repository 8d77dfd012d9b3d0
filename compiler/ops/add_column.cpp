#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// The table with the new column and its inline constraints, or nullopt on errors.
std::optional<Table> with_column(const SchemaModel& before, const AddColumn& op,
                                 CheckContext& ctx) {
  const auto* existing = require_table(before, op.table, ctx);
  if (!existing) return std::nullopt;
  if (existing->find_column(op.column.name.value)) {
    ctx.error(op.column.name.span, fmt::format("column `{}` already exists in table `{}`",
                                               op.column.name.value, op.table.name.display()));
    return std::nullopt;
  }
  if (!require_type(before, op.column.type, ctx, true)) return std::nullopt;
  Table t = *existing;
  t.columns.push_back(column_from(op.column));
  const int errors = ctx.errors();
  for (const auto& spec : inline_constraints(op.column))
    if (auto c = resolve_constraint(before, t, spec, ctx, ctx.version()))
      t.constraints.push_back(std::move(*c));
  if (ctx.errors() != errors) return std::nullopt;
  drop_redundant_unique(t.constraints, existing->constraints.size());
  return t;
}

}  // namespace

std::string AddColumn::describe() const {
  return fmt::format("add column {} to {}", column.name.value, table.name.display());
}

bool AddColumn::check(const SchemaModel& before, CheckContext& ctx) {
  auto altered = with_column(before, *this, ctx);
  if (!altered) return false;
  altered_ = std::move(*altered);
  return true;
}

void AddColumn::apply(SchemaModel& model, int) const {
  auto added = altered_.columns.back();
  if (owns_sequence(added))
    added.sequence =
        model.choose_relation_name(table.name.schema, table.name.name, added.name, "seq");
  model.edit_table(table.name, [&](Table& t) {
    t = altered_;
    t.columns.back() = added;
  });
}

std::vector<PlanStep> AddColumn::up(const SchemaModel& before) const {
  const auto& after = altered_;
  std::string action = "ADD COLUMN " + column_sql(table.name, after.columns.back());
  const auto old_count = before.find_table(table.name)->constraints.size();
  for (auto i = old_count; i < after.constraints.size(); ++i)
    action += ",\n  ADD " + constraint_sql(after.constraints[i]);
  return {step(describe(), alter_table_sql(table.name, action))};
}

std::vector<PlanStep> AddColumn::down(const SchemaModel&) const {
  return {
      step(fmt::format("drop column {} from {}", column.name.value, table.name.display()),
           alter_table_sql(table.name, fmt::format("DROP COLUMN {}", Ident{column.name.value})))};
}

}  // namespace mig
