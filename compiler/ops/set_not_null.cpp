#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class SetNotNullOp final : public Operation {
 public:
  explicit SetNotNullOp(const ast::SetNotNull& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::SetNotNull& written_;
};

}  // namespace

std::string SetNotNullOp::describe() const {
  return fmt::format("set {}.{} not null", written_.table.name.display(), written_.column.value);
}

void SetNotNullOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name,
                   [&](Table& t) { t.find_column(written_.column.value)->not_null = true; });
}

std::vector<PlanStep> SetNotNullOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name, fmt::format("ALTER COLUMN {} SET NOT NULL",
                                                                Ident{written_.column.value})))};
}

std::vector<PlanStep> SetNotNullOp::down(const SchemaModel&) const {
  return {step(
      fmt::format("drop not null of {}.{}", written_.table.name.display(), written_.column.value),
      alter_table_sql(written_.table.name,
                      fmt::format("ALTER COLUMN {} DROP NOT NULL", Ident{written_.column.value})))};
}

OperationPtr resolve(const ast::SetNotNull& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  const auto* c = t ? require_column(*t, written.column, ctx) : nullptr;
  if (!c) return nullptr;
  if (c->not_null) {
    ctx.error(written.column.span,
              fmt::format("column `{}` is already not null", written.column.value));
    return nullptr;
  }
  return std::make_unique<SetNotNullOp>(written);
}

}  // namespace mig
