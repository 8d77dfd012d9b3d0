#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

ObjectName index_object(const CreateIndex& op) {
  return {op.table.name.schema, op.index.name.name};
}

}  // namespace

std::string CreateIndex::describe() const {
  return fmt::format("create {}index {}{} on {}", unique ? "unique " : "",
                     concurrently ? "concurrently " : "", index.name.name, table.name.display());
}

Index CreateIndex::index_def() const {
  return {index.name.name, unique, method, keys, where ? where->text : ""};
}

bool CreateIndex::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t) return false;
  const int errors = ctx.errors();
  const bool qualified = ctx.file_text(index.span).find('.') != std::string_view::npos;
  if (qualified && index.name.schema != table.name.schema)
    ctx.error(index.span,
              fmt::format("an index lives in its table's schema `{}`", table.name.schema));
  if (before.relation_exists(index_object(*this)))
    ctx.error(index.span, fmt::format("`{}` is already the name of a table or index",
                                      index_object(*this).display()));
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].column) require_column(*t, {*keys[i].column, key_fragments[i].span}, ctx);
  return ctx.errors() == errors;
}

void CreateIndex::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) { t.indexes.push_back(index_def()); });
}

std::vector<PlanStep> CreateIndex::up(const SchemaModel&) const {
  return {step(describe(), create_index_sql(table.name, index_def(), concurrently, if_not_exists))};
}

std::vector<PlanStep> CreateIndex::down(const SchemaModel&) const {
  return {step(
      fmt::format("drop index {}{}", concurrently ? "concurrently " : "", index.name.name),
      fmt::format("DROP INDEX {}{}", concurrently ? "CONCURRENTLY " : "", index_object(*this)))};
}

}  // namespace mig
