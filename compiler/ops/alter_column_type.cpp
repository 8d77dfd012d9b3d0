#include <algorithm>

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

namespace {

// ALTER COLUMN ... TYPE, with the column's default set again as written: PostgreSQL would
// keep the old default cast to the new type (`'d'::text` on a varchar column), which a
// column created with that type and default does not have.
std::string type_change_sql(const std::string& column, const std::string& type,
                            const std::optional<std::string>& default_expr,
                            const std::string& using_expr) {
  auto action = fmt::format("ALTER COLUMN {} TYPE {}", Ident{column}, type);
  if (!using_expr.empty()) action += " USING " + using_expr;
  if (!default_expr) return action;
  return fmt::format("ALTER COLUMN {} DROP DEFAULT, {}, ALTER COLUMN {} SET DEFAULT {}",
                     Ident{column}, action, Ident{column}, *default_expr);
}

// Whether PostgreSQL rewrites an expression of the index that mentions `column` when the
// column's type changes; plain column keys have nothing to rewrite.
bool has_expression_on(const Index& index, std::string_view column) {
  const bool expressions =
      !index.where.empty() || std::any_of(index.keys.begin(), index.keys.end(),
                                          [](const IndexKey& k) { return !k.column; });
  return expressions && mentions_column(index, column);
}

// PostgreSQL rewrites the checks and index expressions on the column for the new type,
// with casts a table created with that type would not have (`(n)::numeric > (0)::numeric`
// where `n > 0` was, after a round trip through numeric). So both directions drop them
// first and re-create them as written after the type change.
std::vector<PlanStep> with_dependents_rewritten(const Table& t, const std::string& column,
                                                PlanStep type_change) {
  std::vector<const Constraint*> checks;
  for (const auto& c : t.constraints)
    if (c.kind == ConstraintKind::Check && mentions_column(c, column)) checks.push_back(&c);
  std::vector<const Index*> indexes;
  for (const auto& i : t.indexes)
    if (has_expression_on(i, column)) indexes.push_back(&i);

  std::vector<PlanStep> steps;
  for (const auto* i : indexes)
    steps.push_back(step(fmt::format("drop index {} to re-create it as written", i->name),
                         fmt::format("DROP INDEX {}", ObjectName{t.name.schema, i->name})));
  for (const auto* c : checks)
    steps.push_back(
        step(fmt::format("drop constraint {} to re-create it as written", c->name),
             alter_table_sql(t.name, fmt::format("DROP CONSTRAINT {}", Ident{c->name}))));
  steps.push_back(std::move(type_change));
  for (const auto* c : checks) steps.push_back(add_constraint_step(t.name, *c));
  for (const auto* i : indexes) steps.push_back(create_index_step(t.name, *i));
  return steps;
}

}  // namespace

std::vector<PlanStep> AlterColumnType::up(const SchemaModel& before) const {
  const auto& t = *before.find_table(table.name);
  const auto& old = *t.find_column(column.value);
  return with_dependents_rewritten(
      t, column.value,
      step(describe(),
           alter_table_sql(table.name, type_change_sql(column.value, type.text, old.default_expr,
                                                       using_expr ? using_expr->text : ""))));
}

std::vector<PlanStep> AlterColumnType::down(const SchemaModel& before) const {
  const auto& t = *before.find_table(table.name);
  const auto& old = *t.find_column(column.value);
  const auto using_old =
      using_expr ? fmt::format("{}::{}", Ident{column.value}, old.type) : std::string();
  return with_dependents_rewritten(
      t, column.value,
      step(fmt::format("change type of {}.{} back to {}", table.name.display(), column.value,
                       old.type),
           alter_table_sql(table.name,
                           type_change_sql(column.value, old.type, old.default_expr, using_old))));
}

Reversal AlterColumnType::reversal(const SchemaModel&) const {
  if (!using_expr) return {};
  return {Reversibility::Lossy,
          fmt::format("the downgrade casts `{}` back to its old type; what `using` computed is "
                      "not undone",
                      column.value)};
}

}  // namespace mig
