#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/source/spelling.hpp"

namespace mig {

namespace {

class DropExtensionOp final : public Operation {
 public:
  explicit DropExtensionOp(Extension dropped) : dropped_(std::move(dropped)) {}
  std::string describe() const override { return fmt::format("drop extension {}", dropped_.name); }
  void apply(SchemaModel& model, int) const override { model.remove_extension(dropped_.name); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP EXTENSION {}", Ident{dropped_.name}))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("create extension {} in schema {}", dropped_.name, dropped_.schema),
                 create_extension_sql(dropped_))};
  }

 private:
  Extension dropped_;
};

}  // namespace

OperationPtr resolve(const ast::DropExtension& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* extension = before.find_extension(written.extension.value);
  if (!extension) {
    const auto suggestion = closest_name(written.extension.value, before.extensions(),
                                         [](const auto& entry) { return entry.first; });
    ctx.error(written.extension.span,
              fmt::format("extension `{}` does not exist", written.extension.value),
              suggestion.empty()
                  ? "mig knows the extensions made by `create extension`; one created in a "
                    "`sql { }` block is dropped in one"
                  : fmt::format("did you mean `{}`?", suggestion));
    return nullptr;
  }
  return std::make_unique<DropExtensionOp>(*extension);
}

}  // namespace mig
