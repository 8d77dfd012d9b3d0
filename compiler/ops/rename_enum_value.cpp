#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class RenameEnumValueOp final : public Operation {
 public:
  explicit RenameEnumValueOp(const ast::RenameEnumValue& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("rename value '{}' of type {} to '{}'", written_.value.value,
                       written_.type.name.display(), written_.new_value.value);
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_enum(written_.type.name, [&](EnumType& t) {
      std::replace(t.values.begin(), t.values.end(), written_.value.value,
                   written_.new_value.value);
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), rename_sql(written_.value.value, written_.new_value.value))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("rename value '{}' of type {} back to '{}'", written_.new_value.value,
                             written_.type.name.display(), written_.value.value),
                 rename_sql(written_.new_value.value, written_.value.value))};
  }

 private:
  std::string rename_sql(const std::string& from, const std::string& to) const {
    return fmt::format("ALTER TYPE {} RENAME VALUE {} TO {}", written_.type.name,
                       quote_literal(from), quote_literal(to));
  }

  const ast::RenameEnumValue& written_;
};

}  // namespace

OperationPtr resolve(const ast::RenameEnumValue& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* type = require_enum(before, written.type, ctx);
  if (!type || !require_enum_value(*type, written.value, ctx)) return nullptr;
  const auto& values = type->values;
  if (std::find(values.begin(), values.end(), written.new_value.value) != values.end()) {
    ctx.error(written.new_value.span, fmt::format("enum type `{}` already has the value '{}'",
                                                  type->name.display(), written.new_value.value));
    return nullptr;
  }
  return std::make_unique<RenameEnumValueOp>(written);
}

}  // namespace mig
