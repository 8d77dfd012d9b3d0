#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropTypeOp final : public Operation {
 public:
  explicit DropTypeOp(EnumType dropped) : dropped_(std::move(dropped)) {}
  std::string describe() const override {
    return fmt::format("drop type {}", dropped_.name.display());
  }
  void apply(SchemaModel& model, int) const override { model.remove_enum(dropped_.name); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP TYPE {}", dropped_.name))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return create_enum_steps(dropped_);
  }

 private:
  EnumType dropped_;
};

}  // namespace

OperationPtr resolve(const ast::DropType& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* type = require_enum(before, written.type, ctx);
  if (!type) return nullptr;
  const auto users = before.columns_of_type(type->name);
  for (const auto& [table, column] : users)
    ctx.error(written.type.span,
              fmt::format("type `{}` is used by column `{}.{}`", type->name.display(),
                          table->name.display(), column->name),
              "drop the column, or change its type, first");
  if (!users.empty()) return nullptr;
  return std::make_unique<DropTypeOp>(*type);
}

}  // namespace mig
