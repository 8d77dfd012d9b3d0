#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

class DropFunctionOp final : public Operation {
 public:
  explicit DropFunctionOp(const Function& function) : function_(function) {}
  std::string describe() const override {
    return fmt::format("drop function {}", function_.signature());
  }
  void apply(SchemaModel& model, int) const override { model.remove_function(function_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), drop_function_sql(function_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    std::vector<PlanStep> steps{step(fmt::format("create function {}", function_.signature()),
                                     create_function_sql(function_, false))};
    const auto target = function_ref(function_);
    add_comment_step(steps, target, function_.comment);
    append(steps,
           grant_steps(target.sql, target.display, function_.grants, Function::initial_grants()));
    return steps;
  }

 private:
  Function function_;  // as the model had it: the operation outlives no model change
};

}  // namespace

OperationPtr resolve(const ast::DropFunction& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* function = named_function(before, written.function, written.argument_types, ctx);
  if (!function) return nullptr;
  for (const auto& [table, trigger] : before.triggers_executing(*function)) {
    ctx.error(written.function.span,
              fmt::format("function `{}` is executed by trigger `{}` on table `{}`",
                          function->signature(), trigger->name, table->name.display()),
              fmt::format("drop trigger {} on {} first", trigger->name, table->name.display()));
    return nullptr;
  }
  return std::make_unique<DropFunctionOp>(*function);
}

}  // namespace mig
