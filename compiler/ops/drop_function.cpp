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
    return {step(fmt::format("create function {}", function_.signature()),
                 create_function_sql(function_, false))};
  }

 private:
  Function function_;  // as the model had it: the operation outlives no model change
};

// The argument types written after the name, or nullopt when none were written.
std::optional<std::vector<std::string>> written_types(const ast::DropFunction& written) {
  if (!written.argument_types) return std::nullopt;
  std::vector<std::string> types;
  const auto& objects = written.argument_types->tree->at("DropStmt").at("objects");
  for (const auto& t : objects[0]["ObjectWithArgs"].value("objargs", nlohmann::json::array()))
    types.push_back(function_type_sql(t["TypeName"]));
  return types;
}

}  // namespace

OperationPtr resolve(const ast::DropFunction& written, const SchemaModel& before,
                     CheckContext& ctx) {
  if (written.argument_types && !written.argument_types->tree) return nullptr;
  const Function* function = nullptr;
  if (const auto types = written_types(written)) {
    function = require_function(before, written.function.name, *types, written.function.span, ctx);
  } else {
    const auto named = before.functions_named(written.function.name);
    if (named.size() == 1) function = named.front();
    if (named.empty())
      ctx.error(written.function.span,
                fmt::format("function `{}` does not exist", written.function.name.display()));
    if (named.size() > 1)
      ctx.error(written.function.span,
                fmt::format("function name `{}` is not unique: {} functions have it",
                            written.function.name.display(), named.size()),
                "write the argument types of the one to drop, e.g. `drop function f(integer)`");
  }
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
