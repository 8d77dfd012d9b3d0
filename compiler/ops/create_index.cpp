#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class CreateIndexOp final : public Operation {
 public:
  explicit CreateIndexOp(const ast::CreateIndex& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  Index index_def() const;
  const ast::CreateIndex& written_;
};

ObjectName index_object(const ast::CreateIndex& op) {
  return {op.table.name.schema, op.index.name.name};
}

}  // namespace

std::string CreateIndexOp::describe() const {
  return fmt::format("create {}index {}{} on {}", written_.unique ? "unique " : "",
                     written_.concurrently ? "concurrently " : "", written_.index.name.name,
                     written_.table.name.display());
}

Index CreateIndexOp::index_def() const {
  std::vector<std::string> include;
  for (const auto& c : written_.include) include.push_back(c.value);
  return {written_.index.name.name,
          written_.unique,
          written_.method,
          written_.keys,
          written_.where ? written_.where->text : "",
          std::move(include),
          written_.nulls_not_distinct,
          written_.with ? written_.with->text : ""};
}

void CreateIndexOp::apply(SchemaModel& model, int) const {
  if (const auto* view = model.find_view(written_.table.name)) {
    auto indexed = *view;
    indexed.indexes.push_back(index_def());
    model.put_view(std::move(indexed));
    return;
  }
  model.edit_table(written_.table.name, [&](Table& t) { t.indexes.push_back(index_def()); });
}

std::vector<PlanStep> CreateIndexOp::up(const SchemaModel&) const {
  return {step(describe(), create_index_sql(written_.table.name, index_def(), written_.concurrently,
                                            written_.if_not_exists))};
}

std::vector<PlanStep> CreateIndexOp::down(const SchemaModel&) const {
  return {step(fmt::format("drop index {}{}", written_.concurrently ? "concurrently " : "",
                           written_.index.name.name),
               fmt::format("DROP INDEX {}{}", written_.concurrently ? "CONCURRENTLY " : "",
                           index_object(written_)))};
}

OperationPtr resolve(const ast::CreateIndex& written, const SchemaModel& before,
                     CheckContext& ctx) {
  // A materialized view's columns are its query's: PostgreSQL checks the keys.
  const auto* view = before.find_view(written.table.name);
  const auto* t = view && view->materialized ? nullptr : require_table(before, written.table, ctx);
  if (!t && !(view && view->materialized)) return nullptr;
  const int errors = ctx.errors();
  const bool qualified = ctx.file_text(written.index.span).find('.') != std::string_view::npos;
  if (qualified && written.index.name.schema != written.table.name.schema)
    ctx.error(written.index.span,
              fmt::format("an index lives in its table's schema `{}`", written.table.name.schema));
  if (before.relation_exists(index_object(written)))
    ctx.error(written.index.span, fmt::format("`{}` is already the name of a table or index",
                                              index_object(written).display()));
  for (std::size_t i = 0; t && i < written.keys.size(); ++i)
    if (written.keys[i].column)
      require_column(*t, {*written.keys[i].column, written.key_fragments[i].span}, ctx);
  for (const auto& c : written.include)
    if (t) require_column(*t, c, ctx);
  if (t && t->partitioning && written.concurrently)
    ctx.error(written.table.span,
              fmt::format("PostgreSQL cannot build an index concurrently on partitioned table "
                          "`{}`",
                          written.table.name.display()),
              "in `sql { } down { }`: create the index `on only` the table, build one "
              "concurrently on each partition, and `alter index ... attach partition` each");
  if (written.nulls_not_distinct && !written.unique)
    ctx.error(written.index.span, "`nulls not distinct` applies only to a unique index",
              "write `create unique index`");
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<CreateIndexOp>(written);
}

}  // namespace mig
