#include <stdexcept>

#include "compiler/model/partition_bound.hpp"
#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/partition_support.hpp"

namespace mig {

namespace {

class DetachPartitionOp final : public Operation {
 public:
  DetachPartitionOp(const ast::DetachPartition& written, std::optional<Constraint> added_check)
      : written_(written), added_check_(std::move(added_check)) {}
  std::string describe() const override {
    return fmt::format("detach partition {} from {}", written_.partition.name.display(),
                       written_.table.name.display());
  }
  void apply(SchemaModel& model, int) const override;
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {
        detach_partition_step(written_.table.name, written_.partition.name, written_.concurrently)};
  }
  // Attached again with the bound it had, without the check a concurrent detach added.
  std::vector<PlanStep> down(const SchemaModel& before) const override {
    const auto& bound = before.find_table(written_.partition.name)->partition_of->bound;
    std::vector<PlanStep> steps{
        attach_partition_step(written_.table.name, written_.partition.name, bound)};
    if (added_check_)
      steps.push_back(drop_constraint_step(written_.partition.name, added_check_->name));
    return steps;
  }

 private:
  const ast::DetachPartition& written_;
  // DETACH PARTITION CONCURRENTLY adds a copy of the partition constraint, unless the
  // partition's checks imply it.
  std::optional<Constraint> added_check_;
};

}  // namespace

// The detached table keeps the check constraints it had from its partitioned table, and
// its copies of the parent's indexes, primary key and unique constraints, now its own.
void DetachPartitionOp::apply(SchemaModel& model, int) const {
  const auto parent = *model.find_table(written_.table.name);
  auto copies = missing_copies(model, parent, *model.find_table(written_.partition.name));
  model.edit_table(written_.partition.name, [&](Table& t) {
    t.partition_of.reset();
    for (const auto& c : parent.constraints)
      if (c.kind == ConstraintKind::Check && !t.find_constraint(c.name)) t.constraints.push_back(c);
    for (auto& c : copies.constraints) t.constraints.push_back(std::move(c));
    for (auto& i : copies.indexes) t.indexes.push_back(std::move(i));
    if (added_check_) t.constraints.push_back(*added_check_);
  });
}

OperationPtr resolve(const ast::DetachPartition& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* parent = require_partitioned(before, written.table, ctx);
  const auto* partition = require_table(before, written.partition, ctx);
  if (!parent || !partition) return nullptr;
  if (!partition->partition_of || partition->partition_of->parent != parent->name) {
    ctx.error(written.partition.span,
              fmt::format("table `{}` is not a partition of `{}`", partition->name.display(),
                          parent->name.display()));
    return nullptr;
  }
  if (written.concurrently)
    for (const auto* other : before.partitions_of(parent->name))
      if (other->partition_of->bound == "DEFAULT" && other != partition) {
        ctx.error(written.partition.span,
                  fmt::format("PostgreSQL cannot detach a partition concurrently while `{}` has "
                              "a default partition (`{}`)",
                              parent->name.display(), other->name.display()),
                  fmt::format("detach it without `concurrently`, when `{}` is little used",
                              parent->name.display()));
        return nullptr;
      }
  std::optional<Constraint> added_check;
  if (written.concurrently) {
    try {
      added_check = detach_check(*partition, *parent->partitioning);
    } catch (const std::invalid_argument&) {
      ctx.error(written.partition.span,
                "`detach partition ... concurrently` adds a check constraint that copies the "
                "partition's bound, and mig can write its downgrade only for a range or list "
                "bound on a key of one plain column",
                "detach it without `concurrently`, or write `sql { ... } down { ... }`");
      return nullptr;
    }
    if (added_check) added_check->version = ctx.version();
  }
  return std::make_unique<DetachPartitionOp>(written, std::move(added_check));
}

}  // namespace mig
