#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

using ast::RowSecurityChange;

std::string_view action_sql(RowSecurityChange change) {
  switch (change) {
    case RowSecurityChange::Enable:
      return "ENABLE ROW LEVEL SECURITY";
    case RowSecurityChange::Disable:
      return "DISABLE ROW LEVEL SECURITY";
    case RowSecurityChange::Force:
      return "FORCE ROW LEVEL SECURITY";
    case RowSecurityChange::NoForce:
      return "NO FORCE ROW LEVEL SECURITY";
  }
  return {};
}

RowSecurityChange opposite(RowSecurityChange change) {
  switch (change) {
    case RowSecurityChange::Enable:
      return RowSecurityChange::Disable;
    case RowSecurityChange::Disable:
      return RowSecurityChange::Enable;
    case RowSecurityChange::Force:
      return RowSecurityChange::NoForce;
    case RowSecurityChange::NoForce:
      return RowSecurityChange::Force;
  }
  return change;
}

std::string lower(std::string_view sql) {
  std::string out(sql);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class SetRowSecurityOp final : public Operation {
 public:
  explicit SetRowSecurityOp(const ast::SetRowSecurity& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("{} on {}", lower(action_sql(written_.change)),
                       written_.table.name.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(written_.table.name, [&](Table& t) {
      auto& rls = t.row_security;
      const auto change = written_.change;
      if (change == RowSecurityChange::Enable || change == RowSecurityChange::Disable)
        rls.enabled = change == RowSecurityChange::Enable;
      else
        rls.forced = change == RowSecurityChange::Force;
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), alter_table_sql(written_.table.name, action_sql(written_.change)))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    const auto undo = opposite(written_.change);
    return {step(fmt::format("{} on {}", lower(action_sql(undo)), written_.table.name.display()),
                 alter_table_sql(written_.table.name, action_sql(undo)))};
  }

 private:
  const ast::SetRowSecurity& written_;
};

}  // namespace

OperationPtr resolve(const ast::SetRowSecurity& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  const auto& rls = table->row_security;
  const auto change = written.change;
  const bool already = change == RowSecurityChange::Enable    ? rls.enabled
                       : change == RowSecurityChange::Disable ? !rls.enabled
                       : change == RowSecurityChange::Force   ? rls.forced
                                                              : !rls.forced;
  if (already) {
    ctx.error(written.table.span,
              fmt::format("table `{}` already has {}", table->name.display(),
                          change == RowSecurityChange::Enable    ? "row level security enabled"
                          : change == RowSecurityChange::Disable ? "row level security disabled"
                          : change == RowSecurityChange::Force   ? "row level security forced"
                                                                 : "row level security not forced"),
              "the statement would change nothing, and its downgrade would undo what an earlier "
              "migration did");
    return nullptr;
  }
  return std::make_unique<SetRowSecurityOp>(written);
}

}  // namespace mig
