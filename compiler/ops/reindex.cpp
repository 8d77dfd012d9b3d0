#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// Rebuilds indexes; the schema is as before, so the downgrade has nothing to do.
class ReindexOp final : public Operation {
 public:
  explicit ReindexOp(const ast::Reindex& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("rebuild {} {}{}", written_.table ? "the indexes of table" : "index",
                       written_.target.name.display(),
                       written_.concurrently ? " concurrently" : "");
  }
  void apply(SchemaModel&, int) const override {}
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(),
                 fmt::format("REINDEX {} {}{}", written_.table ? "TABLE" : "INDEX",
                             written_.concurrently ? "CONCURRENTLY " : "", written_.target.name))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override { return {}; }

 private:
  const ast::Reindex& written_;
};

}  // namespace

OperationPtr resolve(const ast::Reindex& written, const SchemaModel& before, CheckContext& ctx) {
  const auto& name = written.target.name;
  if (written.table) {
    const auto* view = before.find_view(name);
    if (!before.find_table(name) && !(view && view->materialized)) {
      require_table(before, written.target, ctx);
      return nullptr;
    }
  } else if (!before.table_of_index(name) && !before.table_of_constraint_index(name) &&
             !before.view_of_index(name)) {
    ctx.error(written.target.span, fmt::format("index `{}` does not exist", name.display()));
    return nullptr;
  }
  return std::make_unique<ReindexOp>(written);
}

}  // namespace mig
