#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"

namespace mig {

namespace {

class CreatePolicyOp final : public Operation {
 public:
  CreatePolicyOp(ObjectName table, Policy policy)
      : table_(std::move(table)), policy_(std::move(policy)) {}
  std::string describe() const override {
    return fmt::format("create policy {} on {}", policy_.name, table_.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(table_, [&](Table& t) { t.row_security.policies.push_back(policy_); });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_policy_sql(fmt::format("{}", table_), policy_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop policy {} on {}", policy_.name, table_.display()),
                 fmt::format("DROP POLICY {} ON {}", Ident{policy_.name}, table_))};
  }

 private:
  ObjectName table_;
  Policy policy_;
};

// The columns of `table` the policy's expressions name (a subquery's columns of other
// tables with the same name count too: they only make a rename or drop refuse).
std::vector<std::string> policy_columns(const Table& table, const nlohmann::json& tree) {
  std::vector<std::string> out;
  for (const auto* ref : nodes_named(tree, "ColumnRef")) {
    const auto parts = column_ref_parts(*ref);
    const auto& column = parts.back();
    if (parts.size() > 1 && parts[parts.size() - 2] != table.name.name) continue;
    if (table.find_column(column) && std::find(out.begin(), out.end(), column) == out.end())
      out.push_back(column);
  }
  return out;
}

}  // namespace

OperationPtr resolve(const ast::CreatePolicy& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  if (find_policy(*table, written.policy.value)) {
    ctx.error(written.policy.span, fmt::format("table `{}` already has a policy `{}`",
                                               table->name.display(), written.policy.value));
    return nullptr;
  }
  Policy policy{written.policy.value, {}, {}};
  if (written.clauses) {
    policy.clauses = written.clauses->text;
    policy.columns = policy_columns(*table, *written.clauses->tree);
  }
  return std::make_unique<CreatePolicyOp>(table->name, std::move(policy));
}

}  // namespace mig
