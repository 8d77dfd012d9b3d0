#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class DropIndexOp final : public Operation {
 public:
  explicit DropIndexOp(const ast::DropIndex& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::DropIndex& written_;
};

}  // namespace

std::string DropIndexOp::describe() const {
  return fmt::format("drop index {}{}", written_.concurrently ? "concurrently " : "",
                     written_.index.name.display());
}

void DropIndexOp::apply(SchemaModel& model, int) const {
  if (const auto* view = model.view_of_index(written_.index.name)) {
    auto edited = *view;
    std::erase_if(edited.indexes,
                  [&](const Index& i) { return i.name == written_.index.name.name; });
    model.put_view(std::move(edited));
    return;
  }
  model.edit_table(model.table_of_index(written_.index.name)->name, [&](Table& t) {
    std::erase_if(t.indexes, [&](const Index& i) { return i.name == written_.index.name.name; });
  });
}

std::vector<PlanStep> DropIndexOp::up(const SchemaModel&) const {
  return {step(describe(),
               fmt::format("DROP INDEX {}{}{}", written_.concurrently ? "CONCURRENTLY " : "",
                           written_.if_exists ? "IF EXISTS " : "", written_.index.name))};
}

std::vector<PlanStep> DropIndexOp::down(const SchemaModel& before) const {
  const auto& name = written_.index.name;
  const auto* view = before.view_of_index(name);
  const auto& on = view ? view->name : before.table_of_index(name)->name;
  const auto& indexes = view ? view->indexes : before.find_table(on)->indexes;
  const auto& index = *std::find_if(indexes.begin(), indexes.end(),
                                    [&](const Index& i) { return i.name == name.name; });
  std::vector<PlanStep> steps{step(fmt::format("re-create index {}", name.display()),
                                   create_index_sql(on, index, written_.concurrently))};
  add_comment_step(steps, object_ref("index", name), index.comment);
  return steps;
}

OperationPtr resolve(const ast::DropIndex& written, const SchemaModel& before, CheckContext& ctx) {
  if (before.table_of_index(written.index.name) || before.view_of_index(written.index.name))
    return std::make_unique<DropIndexOp>(written);
  if (const auto* t = before.table_of_constraint_index(written.index.name)) {
    ctx.error(written.index.span,
              fmt::format("index `{}` belongs to constraint `{}` of table `{}`",
                          written.index.name.display(), written.index.name.name, t->name.display()),
              "drop the constraint instead");
    return nullptr;
  }
  ctx.error(written.index.span,
            fmt::format("index `{}` does not exist", written.index.name.display()));
  return nullptr;
}

}  // namespace mig
