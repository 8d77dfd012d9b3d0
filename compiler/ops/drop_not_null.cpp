#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropNotNullOp final : public Operation {
 public:
  explicit DropNotNullOp(const ast::DropNotNull& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel&) const override;

 private:
  const ast::DropNotNull& written_;
};

}  // namespace

std::string DropNotNullOp::describe() const {
  return fmt::format("drop not null of {}.{}", written_.table.name.display(),
                     written_.column.value);
}

void DropNotNullOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name,
                   [&](Table& t) { t.find_column(written_.column.value)->not_null = false; });
}

std::vector<PlanStep> DropNotNullOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name, fmt::format("ALTER COLUMN {} DROP NOT NULL",
                                                                Ident{written_.column.value})))};
}

std::vector<PlanStep> DropNotNullOp::down(const SchemaModel&) const {
  return {step(
      fmt::format("set {}.{} not null again", written_.table.name.display(), written_.column.value),
      alter_table_sql(written_.table.name,
                      fmt::format("ALTER COLUMN {} SET NOT NULL", Ident{written_.column.value})))};
}

Reversal DropNotNullOp::reversal(const SchemaModel&) const {
  return {Reversibility::Reversible,
          fmt::format("the downgrade sets `{}` of `{}` not null again: it fails while the table "
                      "has rows where `{}` is NULL",
                      written_.column.value, written_.table.name.display(), written_.column.value)};
}

OperationPtr resolve(const ast::DropNotNull& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  const auto* c = t ? require_column(*t, written.column, ctx) : nullptr;
  if (!c) return nullptr;
  if (!c->not_null) {
    ctx.error(written.column.span,
              fmt::format("column `{}` is already nullable", written.column.value));
    return nullptr;
  }
  const auto* pk = t->primary_key();
  if (pk && std::find(pk->columns.begin(), pk->columns.end(), written.column.value) !=
                pk->columns.end()) {
    ctx.error(written.column.span,
              fmt::format("column `{}` is in primary key `{}`", written.column.value, pk->name));
    return nullptr;
  }
  if (c->identity != Identity::None) {
    ctx.error(written.column.span,
              fmt::format("identity column `{}` must stay not null", written.column.value));
    return nullptr;
  }
  return std::make_unique<DropNotNullOp>(written);
}

}  // namespace mig
