#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropTriggerOp final : public Operation {
 public:
  DropTriggerOp(ObjectName table, Trigger trigger)
      : table_(std::move(table)), trigger_(std::move(trigger)) {}
  std::string describe() const override {
    return fmt::format("drop trigger {} on {}", trigger_.name, table_.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(table_, [&](Table& t) {
      std::erase_if(t.triggers, [&](const Trigger& x) { return x.name == trigger_.name; });
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP TRIGGER {} ON {}", Ident{trigger_.name}, table_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return create_trigger_steps(table_, trigger_);
  }

 private:
  ObjectName table_;
  Trigger trigger_;
};

}  // namespace

OperationPtr resolve(const ast::DropTrigger& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  if (const auto* t = table->find_trigger(written.trigger.value))
    return std::make_unique<DropTriggerOp>(table->name, *t);
  std::string names;
  for (const auto& t : table->triggers)
    names += fmt::format("{}`{}`", names.empty() ? "" : ", ", t.name);
  ctx.error(
      written.trigger.span,
      fmt::format("table `{}` has no trigger `{}`", table->name.display(), written.trigger.value),
      names.empty() ? std::string() : fmt::format("its triggers: {}", names));
  return nullptr;
}

}  // namespace mig
