#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

class AlterColumnTypeOp final : public Operation {
 public:
  explicit AlterColumnTypeOp(const ast::AlterColumnType& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel&) const override;

 private:
  const ast::AlterColumnType& written_;
};

}  // namespace

std::string AlterColumnTypeOp::describe() const {
  return fmt::format("change type of {}.{} to {}", written_.table.name.display(),
                     written_.column.value, written_.type.text);
}

void AlterColumnTypeOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name, [&](Table& t) {
    t.find_column(written_.column.value)->type = written_.type.text;
  });
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
    steps.push_back(drop_index_step(t.name, i->name, " to re-create it as written"));
  for (const auto* c : checks)
    steps.push_back(drop_constraint_step(t.name, c->name, " to re-create it as written"));
  steps.push_back(std::move(type_change));
  for (const auto* c : checks) append(steps, add_constraint_steps(t.name, *c));
  for (const auto* i : indexes) append(steps, create_index_steps(t.name, *i));
  return steps;
}

}  // namespace

std::vector<PlanStep> AlterColumnTypeOp::up(const SchemaModel& before) const {
  const auto& t = *before.find_table(written_.table.name);
  const auto& old = *t.find_column(written_.column.value);
  return with_dependents_rewritten(
      t, written_.column.value,
      step(describe(),
           alter_table_sql(
               written_.table.name,
               type_change_sql(written_.column.value, written_.type.text, old.default_expr,
                               written_.using_expr ? written_.using_expr->text : ""))));
}

std::vector<PlanStep> AlterColumnTypeOp::down(const SchemaModel& before) const {
  const auto& t = *before.find_table(written_.table.name);
  const auto& old = *t.find_column(written_.column.value);
  const auto using_old = written_.using_expr
                             ? fmt::format("{}::{}", Ident{written_.column.value}, old.type)
                             : std::string();
  return with_dependents_rewritten(
      t, written_.column.value,
      step(fmt::format("change type of {}.{} back to {}", written_.table.name.display(),
                       written_.column.value, old.type),
           alter_table_sql(written_.table.name, type_change_sql(written_.column.value, old.type,
                                                                old.default_expr, using_old))));
}

Reversal AlterColumnTypeOp::reversal(const SchemaModel&) const {
  if (!written_.using_expr) return {};
  return {Reversibility::Lossy,
          fmt::format("the downgrade casts `{}` back to its old type; what `using` computed is "
                      "not undone",
                      written_.column.value)};
}

OperationPtr resolve(const ast::AlterColumnType& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  if (!t || !require_column(*t, written.column, ctx) ||
      !require_type(before, written.type, ctx, false) ||
      !require_no_view_reading(before, t->name, written.column.value, "change the type of",
                               written.column.span, ctx) ||
      !require_no_expression_naming(*t, written.column.value, "change the type of",
                                    written.column.span, ctx))
    return nullptr;
  return std::make_unique<AlterColumnTypeOp>(written);
}

}  // namespace mig
