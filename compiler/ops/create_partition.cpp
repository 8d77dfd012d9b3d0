#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/partition_support.hpp"

namespace mig {

namespace {

class CreatePartitionOp final : public Operation {
 public:
  explicit CreatePartitionOp(Table created) : created_(std::move(created)) {}
  std::string describe() const override;
  void apply(SchemaModel& model, int) const override { model.add_table(created_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return create_table_steps(created_);
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop table {}", created_.name.display()),
                 fmt::format("DROP TABLE {}", created_.name))};
  }

 private:
  Table created_;
};

}  // namespace

std::string CreatePartitionOp::describe() const {
  return fmt::format("create table {} partition of {}", created_.name.display(),
                     created_.partition_of->parent.display());
}

OperationPtr resolve(const ast::CreatePartition& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const int errors = ctx.errors();
  const auto& name = written.table.name;
  if (before.relation_exists(name)) {
    ctx.error(written.table.span,
              fmt::format("`{}` already exists (a table, an index or a sequence has this name)",
                          name.display()));
    return nullptr;
  }
  if (!before.schema_exists(name.schema))
    ctx.error(written.table.span, fmt::format("schema `{}` does not exist", name.schema),
              fmt::format("create it first: `create schema {}`", name.schema));
  const auto* parent = require_partitioned(before, written.parent, ctx);
  if (!parent) return nullptr;
  Table created;
  created.name = name;
  created.version = ctx.version();
  created.columns = partition_columns(parent->columns, created);
  created.partition_of = PartitionOf{parent->name, written.bound.sql};
  require_fitting_bound(before, *parent, written.bound, name, ctx);
  if (written.partition_by) {
    require_valid_partition_key(created, *written.partition_by, ctx);
    created.partitioning = partitioning_from(*written.partition_by);
  }
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<CreatePartitionOp>(std::move(created));
}

}  // namespace mig
