#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

class CreateTriggerOp final : public Operation {
 public:
  CreateTriggerOp(ObjectName table, Trigger trigger)
      : table_(std::move(table)), trigger_(std::move(trigger)) {}
  std::string describe() const override {
    return fmt::format("create trigger {} on {}", trigger_.name, table_.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(table_, [&](Table& t) { t.triggers.push_back(trigger_); });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_trigger_sql(table_, trigger_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop trigger {} on {}", trigger_.name, table_.display()),
                 fmt::format("DROP TRIGGER {} ON {}", Ident{trigger_.name}, table_))};
  }

 private:
  ObjectName table_;
  Trigger trigger_;
};

// The columns of its table a trigger names: in UPDATE OF and as NEW.c / OLD.c in WHEN.
std::vector<std::string> trigger_columns(const nlohmann::json& create_trigger) {
  std::vector<std::string> out;
  for (const auto& c : create_trigger.value("columns", nlohmann::json::array()))
    out.push_back(c["String"].value("sval", ""));
  if (const auto when = create_trigger.find("whenClause"); when != create_trigger.end())
    for (const auto* ref : nodes_named(*when, "ColumnRef")) {
      const auto parts = column_ref_parts(*ref);
      if (parts.back() != "*" && std::find(out.begin(), out.end(), parts.back()) == out.end())
        out.push_back(parts.back());
    }
  return out;
}

}  // namespace

OperationPtr resolve(const ast::CreateTrigger& written, const SchemaModel& before,
                     CheckContext& ctx) {
  if (written.tree.empty()) return nullptr;  // reported by the parser
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  const int errors = ctx.errors();
  for (const auto& t : table->triggers)
    if (t.name == written.trigger.value)
      ctx.error(written.trigger.span, fmt::format("table `{}` already has a trigger `{}`",
                                                  table->name.display(), t.name));
  require_function(before, written.function.name, {}, written.function.span, ctx);
  Trigger trigger{written.trigger.value,
                  written.events.text,
                  written.condition ? written.condition->text : std::string(),
                  written.function.name,
                  written.arguments.text,
                  trigger_columns(written.tree["CreateTrigStmt"])};
  for (const auto& c : trigger.columns)
    if (!table->find_column(c))
      ctx.error(written.events.span,
                fmt::format("the trigger names column `{}`, which table `{}` does not have", c,
                            table->name.display()));
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<CreateTriggerOp>(table->name, std::move(trigger));
}

}  // namespace mig
