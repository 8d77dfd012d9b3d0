#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// Runs the view's query again. Its downgrade leaves the rows as they are, but empties a view
// that was created `with no data`, as it was.
class RefreshMaterializedViewOp final : public Operation {
 public:
  RefreshMaterializedViewOp(ObjectName view, bool concurrently, bool was_populated)
      : view_(std::move(view)), concurrently_(concurrently), was_populated_(was_populated) {}
  std::string describe() const override {
    return fmt::format("refresh materialized view {}{}", concurrently_ ? "concurrently " : "",
                       view_.display());
  }
  void apply(SchemaModel& model, int) const override {
    auto view = *model.find_view(view_);
    view.populated = true;
    model.put_view(std::move(view));
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("REFRESH MATERIALIZED VIEW {}{}",
                                         concurrently_ ? "CONCURRENTLY " : "", view_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    if (was_populated_) return {};
    return {step(fmt::format("empty materialized view {} again", view_.display()),
                 fmt::format("REFRESH MATERIALIZED VIEW {} WITH NO DATA", view_))};
  }

 private:
  ObjectName view_;
  bool concurrently_;
  bool was_populated_;
};

}  // namespace

OperationPtr resolve(const ast::RefreshMaterializedView& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& name = written.view.name;
  const auto* view = before.find_view(name);
  if (!view || !view->materialized) {
    ctx.error(written.view.span,
              fmt::format("materialized view `{}` does not exist", name.display()),
              view ? "it is a view: its query runs when it is read" : "");
    return nullptr;
  }
  if (written.concurrently && !refresh_key(*view)) {
    ctx.error(
        written.view.span,
        fmt::format("`refresh ... concurrently` needs a unique index on `{}` with plain "
                    "columns and no `where`, and it has none",
                    name.display()),
        fmt::format("create one first: `create unique index ... on {} (column)`", name.display()));
    return nullptr;
  }
  if (written.concurrently && !view->populated) {
    ctx.error(written.view.span,
              fmt::format("materialized view `{}` was created `with no data`: PostgreSQL "
                          "refreshes it concurrently only once it has been filled",
                          name.display()),
              "refresh it once without `concurrently`");
    return nullptr;
  }
  return std::make_unique<RefreshMaterializedViewOp>(name, written.concurrently, view->populated);
}

}  // namespace mig
