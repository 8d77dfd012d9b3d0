#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class CreateExtensionOp final : public Operation {
 public:
  explicit CreateExtensionOp(Extension created) : created_(std::move(created)) {}
  std::string describe() const override {
    return fmt::format("create extension {} in schema {}", created_.name, created_.schema);
  }
  // The types and functions it brings are not listed: the model accepts unknown types
  // from here on, as after raw SQL that creates types.
  void apply(SchemaModel& model, int) const override {
    model.add_extension(created_);
    model.allow_unknown_types();
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_extension_sql(created_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop extension {}", created_.name),
                 fmt::format("DROP EXTENSION {}", Ident{created_.name}))};
  }

 private:
  Extension created_;
};

}  // namespace

OperationPtr resolve(const ast::CreateExtension& written, const SchemaModel& before,
                     CheckContext& ctx) {
  Extension created{written.extension.value, written.schema ? written.schema->value : "public"};
  if (before.find_extension(created.name)) {
    ctx.error(written.extension.span,
              fmt::format("extension `{}` already exists", written.extension.value));
    return nullptr;
  }
  if (!before.schema_exists(created.schema)) {
    ctx.error(written.schema->span, fmt::format("schema `{}` does not exist", created.schema),
              fmt::format("create it first: `create schema {}`", created.schema));
    return nullptr;
  }
  return std::make_unique<CreateExtensionOp>(std::move(created));
}

}  // namespace mig
