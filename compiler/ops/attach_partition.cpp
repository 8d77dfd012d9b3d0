#include <set>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/partition_support.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

namespace {

class AttachPartitionOp final : public Operation {
 public:
  AttachPartitionOp(const ast::AttachPartition& written, PartitionCopies copies)
      : written_(written), copies_(std::move(copies)) {}
  std::string describe() const override {
    return fmt::format("attach partition {} to {}", written_.partition.name.display(),
                       written_.table.name.display());
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(written_.partition.name, [&](Table& t) {
      t.partition_of = PartitionOf{written_.table.name, written_.bound.sql};
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {
        attach_partition_step(written_.table.name, written_.partition.name, written_.bound.sql)};
  }
  // Detached, without the copies of the parent's indexes and constraints the attach built.
  std::vector<PlanStep> down(const SchemaModel&) const override {
    const auto& table = written_.partition.name;
    std::vector<PlanStep> steps{detach_partition_step(written_.table.name, table, false)};
    for (const auto& i : copies_.indexes) steps.push_back(drop_index_step(table, i.name));
    for (const auto& c : copies_.constraints) steps.push_back(drop_constraint_step(table, c.name));
    return steps;
  }

 private:
  const ast::AttachPartition& written_;
  PartitionCopies copies_;
};

// A type as the catalog names it, to compare `integer` with `int`.
std::string catalog_type(const std::string& written) {
  const auto type = type_name(written);
  if (!type) return written;
  return fmt::format("{}.{}{}", type->schema, type->name, type->array ? "[]" : "");
}

// Reports a column the two tables do not have alike: PostgreSQL attaches only a table with
// exactly the partitioned table's columns, of the same types.
bool require_same_columns(const Table& parent, const Table& partition, const TableRef& ref,
                          CheckContext& ctx) {
  const auto refuse = [&](std::string why) {
    ctx.error(ref.span,
              fmt::format("table `{}` cannot be a partition of `{}`: {}", partition.name.display(),
                          parent.name.display(), why),
              "a partition has exactly the columns of its partitioned table, of the same types");
    return false;
  };
  for (const auto& c : parent.columns) {
    const auto* own = partition.find_column(c.name);
    if (!own) return refuse(fmt::format("it has no column `{}`", c.name));
    if (catalog_type(own->type) != catalog_type(c.type))
      return refuse(
          fmt::format("column `{}` is `{}` there and `{}` here", c.name, c.type, own->type));
  }
  for (const auto& c : partition.columns)
    if (!parent.find_column(c.name))
      return refuse(fmt::format("it has column `{}`, which `{}` does not have", c.name,
                                parent.name.display()));
  return true;
}

}  // namespace

OperationPtr resolve(const ast::AttachPartition& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* parent = require_partitioned(before, written.table, ctx);
  const auto* partition = require_table(before, written.partition, ctx);
  if (!parent || !partition) return nullptr;
  if (partition->partition_of) {
    ctx.error(written.partition.span,
              fmt::format("table `{}` is already a partition of `{}`", partition->name.display(),
                          partition->partition_of->parent.display()),
              "detach it first");
    return nullptr;
  }
  if (partition->name == parent->name) {
    ctx.error(written.partition.span, "a table cannot be a partition of itself");
    return nullptr;
  }
  if (!require_same_columns(*parent, *partition, written.partition, ctx) ||
      !require_fitting_bound(before, *parent, written.bound, partition->name, ctx))
    return nullptr;
  return std::make_unique<AttachPartitionOp>(written, missing_copies(before, *parent, *partition));
}

}  // namespace mig
