#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/source/spelling.hpp"

namespace mig {

namespace {

class DropPolicyOp final : public Operation {
 public:
  DropPolicyOp(ObjectName table, Policy policy)
      : table_(std::move(table)), policy_(std::move(policy)) {}
  std::string describe() const override {
    return fmt::format("drop policy {} on {}", policy_.name, table_.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(table_, [&](Table& t) {
      auto& policies = t.row_security.policies;
      std::erase_if(policies, [&](const Policy& p) { return p.name == policy_.name; });
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP POLICY {} ON {}", Ident{policy_.name}, table_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("create policy {} on {}", policy_.name, table_.display()),
                 create_policy_sql(fmt::format("{}", table_), policy_))};
  }

 private:
  ObjectName table_;
  Policy policy_;
};

}  // namespace

OperationPtr resolve(const ast::DropPolicy& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  const auto* policy = find_policy(*table, written.policy.value);
  if (!policy) {
    const auto& policies = table->row_security.policies;
    const auto suggestion =
        closest_name(written.policy.value, policies, [](const Policy& p) { return p.name; });
    ctx.error(
        written.policy.span,
        fmt::format("table `{}` has no policy `{}`", table->name.display(), written.policy.value),
        suggestion.empty() ? "" : fmt::format("did you mean `{}`?", suggestion));
    return nullptr;
  }
  return std::make_unique<DropPolicyOp>(table->name, *policy);
}

}  // namespace mig
