#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

using ast::RowSecurityChange;

struct Action {
  std::string_view sql;
  std::string_view text;   // as it is described in the plan
  std::string_view state;  // what the table has after it
  RowSecurityChange undo;
};

const Action& action(RowSecurityChange change) {
  static const Action actions[] = {
      {"ENABLE ROW LEVEL SECURITY", "enable row level security", "row level security enabled",
       RowSecurityChange::Disable},
      {"DISABLE ROW LEVEL SECURITY", "disable row level security", "row level security disabled",
       RowSecurityChange::Enable},
      {"FORCE ROW LEVEL SECURITY", "force row level security", "row level security forced",
       RowSecurityChange::NoForce},
      {"NO FORCE ROW LEVEL SECURITY", "no force row level security",
       "row level security not forced", RowSecurityChange::Force},
  };
  return actions[static_cast<int>(change)];
}

// Whether `rls` is already what `change` makes it.
bool has_state(const RowSecurity& rls, RowSecurityChange change) {
  switch (change) {
    case RowSecurityChange::Enable:
      return rls.enabled;
    case RowSecurityChange::Disable:
      return !rls.enabled;
    case RowSecurityChange::Force:
      return rls.forced;
    case RowSecurityChange::NoForce:
      return !rls.forced;
  }
  return false;
}

class SetRowSecurityOp final : public Operation {
 public:
  explicit SetRowSecurityOp(const ast::SetRowSecurity& written) : written_(written) {}
  std::string describe() const override { return described(written_.change); }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(written_.table.name, [&](Table& t) {
      const auto change = written_.change;
      if (change == RowSecurityChange::Enable || change == RowSecurityChange::Disable)
        t.row_security.enabled = change == RowSecurityChange::Enable;
      else
        t.row_security.forced = change == RowSecurityChange::Force;
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override { return {change(written_.change)}; }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {change(action(written_.change).undo)};
  }

 private:
  std::string described(RowSecurityChange c) const {
    return fmt::format("{} on {}", action(c).text, written_.table.name.display());
  }
  PlanStep change(RowSecurityChange c) const {
    return step(described(c), alter_table_sql(written_.table.name, action(c).sql));
  }

  const ast::SetRowSecurity& written_;
};

}  // namespace

OperationPtr resolve(const ast::SetRowSecurity& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  if (has_state(table->row_security, written.change)) {
    ctx.error(written.table.span,
              fmt::format("table `{}` already has {}", table->name.display(),
                          action(written.change).state),
              "the statement would change nothing, and its downgrade would undo what an earlier "
              "migration did");
    return nullptr;
  }
  return std::make_unique<SetRowSecurityOp>(written);
}

}  // namespace mig
