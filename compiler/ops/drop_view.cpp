#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropViewOp final : public Operation {
 public:
  explicit DropViewOp(View view) : view_(std::move(view)) {}
  std::string describe() const override { return drop_view_step(view_).description; }
  void apply(SchemaModel& model, int) const override { model.remove_view(view_.name); }
  std::vector<PlanStep> up(const SchemaModel&) const override { return {drop_view_step(view_)}; }
  // A materialized view comes back with its indexes, filled by its query when it was.
  std::vector<PlanStep> down(const SchemaModel&) const override { return create_view_steps(view_); }

 private:
  View view_;
};

}  // namespace

OperationPtr resolve(const ast::DropView& written, const SchemaModel& before, CheckContext& ctx) {
  const auto& name = written.view.name;
  const auto* view = before.find_view(name);
  if (!view) {
    ctx.error(written.view.span,
              fmt::format("{}view `{}` does not exist", written.materialized ? "materialized " : "",
                          name.display()),
              before.find_table(name) ? "it is a table: write `drop table`" : "");
    return nullptr;
  }
  if (view->materialized != written.materialized) {
    ctx.error(
        written.view.span,
        fmt::format("`{}` is a {}view", name.display(), view->materialized ? "materialized " : ""),
        view->materialized ? "write `drop materialized view`" : "write `drop view`");
    return nullptr;
  }
  for (const auto* reader : before.views_reading(name)) {
    ctx.error(written.view.span,
              fmt::format("view `{}` is read by view `{}`", name.display(), reader->name.display()),
              fmt::format("drop view {} first", reader->name.display()));
    return nullptr;
  }
  if (!view->stale.empty()) {
    ctx.error(written.view.span,
              fmt::format("the downgrade must re-create view `{}`, whose definition mig could "
                          "not follow: {}",
                          name.display(), view->stale),
              "drop the view before the rename and create it again after it");
    return nullptr;
  }
  return std::make_unique<DropViewOp>(*view);
}

}  // namespace mig
