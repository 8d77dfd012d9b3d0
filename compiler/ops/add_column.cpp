#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class AddColumnOp final : public Operation {
 public:
  AddColumnOp(const ast::AddColumn& written, Table altered)
      : written_(written), altered_(std::move(altered)) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::AddColumn& written_;
  Table altered_;
};

// The table with the new column and its inline constraints, or nullopt on errors.
std::optional<Table> with_column(const SchemaModel& before, const ast::AddColumn& op,
                                 CheckContext& ctx) {
  const auto* existing = require_table(before, op.table, ctx);
  if (!existing) return std::nullopt;
  if (existing->find_column(op.column.name.value)) {
    ctx.error(op.column.name.span, fmt::format("column `{}` already exists in table `{}`",
                                               op.column.name.value, op.table.name.display()));
    return std::nullopt;
  }
  if (!require_type(before, op.column.type, ctx, true) || !require_consistent(op.column, ctx))
    return std::nullopt;
  Table t = *existing;
  t.columns.push_back(column_from(op.column));
  const int errors = ctx.errors();
  require_generation_columns(t, op.column, ctx);
  for (const auto& spec : inline_constraints(op.column))
    if (auto c = resolve_constraint(before, t, spec, ctx, ctx.version()))
      t.constraints.push_back(std::move(*c));
  if (ctx.errors() != errors) return std::nullopt;
  drop_redundant_unique(t.constraints, existing->constraints.size());
  return t;
}

}  // namespace

std::string AddColumnOp::describe() const {
  return fmt::format("add column {} to {}", written_.column.name.value,
                     written_.table.name.display());
}

void AddColumnOp::apply(SchemaModel& model, int) const {
  auto added = altered_.columns.back();
  if (owns_sequence(added))
    added.sequence = model.choose_relation_name(written_.table.name.schema,
                                                written_.table.name.name, added.name, "seq");
  model.edit_table(written_.table.name, [&](Table& t) {
    t = altered_;
    t.columns.back() = added;
  });
}

std::vector<PlanStep> AddColumnOp::up(const SchemaModel& before) const {
  const auto& after = altered_;
  std::string action = "ADD COLUMN " + column_sql(written_.table.name, after.columns.back());
  const auto old_count = before.find_table(written_.table.name)->constraints.size();
  for (auto i = old_count; i < after.constraints.size(); ++i)
    action += ",\n  ADD " + constraint_sql(after.constraints[i]);
  return {step(describe(), alter_table_sql(written_.table.name, action))};
}

std::vector<PlanStep> AddColumnOp::down(const SchemaModel&) const {
  return {step(fmt::format("drop column {} from {}", written_.column.name.value,
                           written_.table.name.display()),
               alter_table_sql(written_.table.name,
                               fmt::format("DROP COLUMN {}", Ident{written_.column.name.value})))};
}

OperationPtr resolve(const ast::AddColumn& written, const SchemaModel& before, CheckContext& ctx) {
  auto altered = with_column(before, written, ctx);
  if (!altered) return nullptr;
  return std::make_unique<AddColumnOp>(written, std::move(*altered));
}

}  // namespace mig
