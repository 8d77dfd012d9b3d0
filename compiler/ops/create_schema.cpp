#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class CreateSchemaOp final : public Operation {
 public:
  explicit CreateSchemaOp(const ast::CreateSchema& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("create schema {}", written_.schema.value);
  }
  void apply(SchemaModel& model, int) const override { model.add_schema(written_.schema.value); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("CREATE SCHEMA {}", Ident{written_.schema.value}))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop schema {}", written_.schema.value),
                 fmt::format("DROP SCHEMA {}", Ident{written_.schema.value}))};
  }

 private:
  const ast::CreateSchema& written_;
};

}  // namespace

OperationPtr resolve(const ast::CreateSchema& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& name = written.schema.value;
  if (before.schemas().contains(name)) {
    ctx.error(written.schema.span, fmt::format("schema `{}` already exists", name));
    return nullptr;
  }
  if (name.starts_with("pg_")) {
    ctx.error(
        written.schema.span,
        fmt::format("`{}`: schema names beginning with `pg_` are reserved for the system", name));
    return nullptr;
  }
  return std::make_unique<CreateSchemaOp>(written);
}

}  // namespace mig
