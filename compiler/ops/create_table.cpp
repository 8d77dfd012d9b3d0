#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/partition_support.hpp"

namespace mig {

namespace {

class CreateTableOp final : public Operation {
 public:
  CreateTableOp(const ast::CreateTable& written, Table created)
      : written_(written), created_(std::move(created)) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::CreateTable& written_;
  Table created_;
};

// The table as it will exist; reports what is wrong to `ctx`.
Table build(const ast::CreateTable& op, const SchemaModel& before, CheckContext& ctx) {
  Table t;
  t.name = op.table.name;
  t.version = ctx.version();
  t.unlogged = op.unlogged;
  for (const auto& spec : op.columns) {
    require_type(before, spec.type, ctx, true);
    require_consistent(spec, ctx);
    if (t.find_column(spec.name.value))
      ctx.error(spec.name.span, fmt::format("column `{}` is declared twice", spec.name.value));
    else
      t.columns.push_back(column_from(spec));
  }
  for (const auto& spec : op.columns) require_generation_columns(t, spec, ctx);
  std::vector<ConstraintSpec> specs;
  for (const auto& c : op.columns)
    for (auto& s : inline_constraints(c)) specs.push_back(std::move(s));
  specs.insert(specs.end(), op.constraints.begin(), op.constraints.end());
  for (const auto& spec : specs) {
    if (auto c = resolve_constraint(before, t, spec, ctx, ctx.version())) {
      if (c->kind == ConstraintKind::PrimaryKey)
        for (const auto& name : c->columns) t.find_column(name)->not_null = true;
      t.constraints.push_back(std::move(*c));
    }
  }
  drop_redundant_unique(t.constraints, 0);
  if (op.partition_by) t.partitioning = partitioning_from(*op.partition_by);
  return t;
}

}  // namespace

std::string CreateTableOp::describe() const {
  return fmt::format("create table {}", written_.table.name.display());
}

void CreateTableOp::apply(SchemaModel& model, int) const {
  auto table = created_;
  for (auto& c : table.columns)
    if (owns_sequence(c))
      c.sequence = model.choose_relation_name(table.name.schema, table.name.name, c.name, "seq");
  model.add_table(std::move(table));
}

std::vector<PlanStep> CreateTableOp::up(const SchemaModel&) const {
  return create_table_steps(created_);
}

std::vector<PlanStep> CreateTableOp::down(const SchemaModel&) const {
  return {step(fmt::format("drop table {}", written_.table.name.display()),
               fmt::format("DROP TABLE {}", written_.table.name))};
}

OperationPtr resolve(const ast::CreateTable& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const int errors = ctx.errors();
  if (before.find_table(written.table.name)) {
    ctx.error(written.table.span,
              fmt::format("table `{}` already exists", written.table.name.display()));
    return nullptr;
  }
  if (before.relation_exists(written.table.name))
    ctx.error(written.table.span,
              fmt::format("`{}` is already the name of an index", written.table.name.display()));
  if (!before.schema_exists(written.table.name.schema))
    ctx.error(written.table.span,
              fmt::format("schema `{}` does not exist", written.table.name.schema),
              fmt::format("create it first: `create schema {}`", written.table.name.schema));
  if (written.columns.empty())
    ctx.error(written.table.span,
              fmt::format("table `{}` needs at least one column", written.table.name.display()));
  for (const auto& c : written.constraints)
    if (c.using_index)
      ctx.error(c.using_index->span,
                "`using index` attaches an existing index; a new table has none");
  if (written.unlogged && written.partition_by)
    ctx.error(written.table.span, "a partitioned table cannot be unlogged",
              "make its partitions unlogged instead, in SQL");
  auto created = build(written, before, ctx);
  if (written.partition_by) require_valid_partition_key(created, *written.partition_by, ctx);
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<CreateTableOp>(written, std::move(created));
}

}  // namespace mig
