#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string DropIndex::describe() const {
  return fmt::format("drop index {}{}", concurrently ? "concurrently " : "", index.name.display());
}

bool DropIndex::check(const SchemaModel& before, CheckContext& ctx) {
  if (before.table_of_index(index.name)) return true;
  if (const auto* t = before.table_of_constraint_index(index.name)) {
    ctx.error(index.span,
              fmt::format("index `{}` belongs to constraint `{}` of table `{}`",
                          index.name.display(), index.name.name, t->name.display()),
              "drop the constraint instead");
    return false;
  }
  ctx.error(index.span, fmt::format("index `{}` does not exist", index.name.display()));
  return false;
}

void DropIndex::apply(SchemaModel& model, int) const {
  model.edit_table(model.table_of_index(index.name)->name, [&](Table& t) {
    std::erase_if(t.indexes, [&](const Index& i) { return i.name == index.name.name; });
  });
}

std::vector<PlanStep> DropIndex::up(const SchemaModel&) const {
  return {step(describe(), fmt::format("DROP INDEX {}{}{}", concurrently ? "CONCURRENTLY " : "",
                                       if_exists ? "IF EXISTS " : "", index.name))};
}

std::vector<PlanStep> DropIndex::down(const SchemaModel& before) const {
  const auto& t = *before.table_of_index(index.name);
  return {step(fmt::format("re-create index {}", index.name.display()),
               create_index_sql(t.name, *t.find_index(index.name.name), concurrently))};
}

}  // namespace mig
