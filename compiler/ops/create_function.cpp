#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

class CreateFunctionOp final : public Operation {
 public:
  CreateFunctionOp(Function function, bool or_replace)
      : function_(std::move(function)), or_replace_(or_replace) {}
  std::string describe() const override {
    return fmt::format("{} function {}", or_replace_ ? "create or replace" : "create",
                       function_.signature());
  }
  void apply(SchemaModel& model, int) const override { model.put_function(function_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_function_sql(function_, or_replace_))};
  }
  // A replaced function gets its previous definition back; a new one is dropped.
  std::vector<PlanStep> down(const SchemaModel& before) const override {
    if (const auto* previous = before.find_function(function_.name, function_.argument_types))
      return {step(fmt::format("restore function {} as migration {} defined it",
                               previous->signature(), previous->version),
                   create_function_sql(*previous, true))};
    return {
        step(fmt::format("drop function {}", function_.signature()), drop_function_sql(function_))};
  }

 private:
  Function function_;
  bool or_replace_;
};

}  // namespace

OperationPtr resolve(const ast::CreateFunction& written, const SchemaModel& before,
                     CheckContext& ctx) {
  if (!written.definition.tree) return nullptr;  // reported by the parser
  if (!before.schema_exists(written.function.name.schema)) {
    ctx.error(written.function.span,
              fmt::format("schema `{}` does not exist", written.function.name.schema));
    return nullptr;
  }
  Function function{written.function.name,
                    identity_argument_types(written.definition.tree->at("CreateFunctionStmt")),
                    written.definition.text, ctx.version()};
  if (!written.or_replace && before.find_function(function.name, function.argument_types)) {
    ctx.error(written.function.span,
              fmt::format("function `{}` already exists", function.signature()),
              "write `create or replace function` to change its definition");
    return nullptr;
  }
  return std::make_unique<CreateFunctionOp>(std::move(function), written.or_replace);
}

}  // namespace mig
