#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// Runs the view's query again, or empties the view (`with no data`). Its downgrade leaves
// the rows as they are, but empties a view that was empty, or fills one that was emptied.
class RefreshMaterializedViewOp final : public Operation {
 public:
  RefreshMaterializedViewOp(const ast::RefreshMaterializedView& written, bool was_populated)
      : written_(written), was_populated_(was_populated) {}
  std::string describe() const override {
    return fmt::format("refresh materialized view {}{}{}",
                       written_.concurrently ? "concurrently " : "", view().display(),
                       written_.no_data ? " with no data" : "");
  }
  void apply(SchemaModel& model, int) const override {
    auto view = *model.find_view(this->view());
    view.populated = !written_.no_data;
    model.put_view(std::move(view));
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("REFRESH MATERIALIZED VIEW {}{}{}",
                                         written_.concurrently ? "CONCURRENTLY " : "", view(),
                                         written_.no_data ? " WITH NO DATA" : ""))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    if (was_populated_ == !written_.no_data) return {};
    if (was_populated_)
      return {step(fmt::format("fill materialized view {} again", view().display()),
                   fmt::format("REFRESH MATERIALIZED VIEW {}", view()))};
    return {step(fmt::format("empty materialized view {} again", view().display()),
                 fmt::format("REFRESH MATERIALIZED VIEW {} WITH NO DATA", view()))};
  }

 private:
  const ObjectName& view() const { return written_.view.name; }

  const ast::RefreshMaterializedView& written_;
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
  if (written.concurrently && written.no_data) {
    ctx.error(written.view.span,
              "PostgreSQL cannot refresh concurrently `with no data`: emptying a materialized "
              "view takes ACCESS EXCLUSIVE",
              "leave out `concurrently`");
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
  return std::make_unique<RefreshMaterializedViewOp>(written, view->populated);
}

}  // namespace mig
