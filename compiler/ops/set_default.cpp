#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropDefaultOp final : public Operation {
 public:
  explicit DropDefaultOp(const ast::DropDefault& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::DropDefault& written_;
};

class SetDefaultOp final : public Operation {
 public:
  explicit SetDefaultOp(const ast::SetDefault& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::SetDefault& written_;
};

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

std::string SetDefaultOp::describe() const {
  return fmt::format("set default of {}.{} to {}", written_.table.name.display(),
                     written_.column.value, written_.default_expr.text);
}

void SetDefaultOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name, [&](Table& t) {
    t.find_column(written_.column.value)->default_expr = written_.default_expr.text;
  });
}

std::vector<PlanStep> SetDefaultOp::up(const SchemaModel&) const {
  return {default_step(written_.table.name, written_.column.value, written_.default_expr.text)};
}

std::vector<PlanStep> SetDefaultOp::down(const SchemaModel& before) const {
  return {default_step(written_.table.name, written_.column.value,
                       old_default(before, written_.table, written_.column))};
}

std::string DropDefaultOp::describe() const {
  return fmt::format("drop default of {}.{}", written_.table.name.display(), written_.column.value);
}

void DropDefaultOp::apply(SchemaModel& model, int) const {
  model.edit_table(written_.table.name,
                   [&](Table& t) { t.find_column(written_.column.value)->default_expr.reset(); });
}

std::vector<PlanStep> DropDefaultOp::up(const SchemaModel&) const {
  return {default_step(written_.table.name, written_.column.value, std::nullopt)};
}

std::vector<PlanStep> DropDefaultOp::down(const SchemaModel& before) const {
  return {default_step(written_.table.name, written_.column.value,
                       old_default(before, written_.table, written_.column))};
}

OperationPtr resolve(const ast::SetDefault& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* c = checked_column(before, written.table, written.column, ctx);
  if (!c) return nullptr;
  if (c->generated) {
    ctx.error(written.column.span, fmt::format("column `{}` is generated and cannot have a default",
                                               written.column.value));
    return nullptr;
  }
  return std::make_unique<SetDefaultOp>(written);
}

OperationPtr resolve(const ast::DropDefault& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* c = checked_column(before, written.table, written.column, ctx);
  if (!c) return nullptr;
  if (!c->default_expr) {
    ctx.error(written.column.span, fmt::format("column `{}` has no default", written.column.value));
    return nullptr;
  }
  return std::make_unique<DropDefaultOp>(written);
}

}  // namespace mig
