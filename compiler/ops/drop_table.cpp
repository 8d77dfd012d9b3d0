#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/partition_support.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

class DropTableOp final : public Operation {
 public:
  explicit DropTableOp(const ast::DropTable& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel&) const override;

 private:
  const ast::DropTable& written_;
};

}  // namespace

std::string DropTableOp::describe() const {
  return fmt::format("drop table {}", written_.table.name.display());
}

// PostgreSQL drops the sequences the table owns with it, and its partitions.
void DropTableOp::apply(SchemaModel& model, int) const {
  for (const auto* s : model.sequences_owned_by(written_.table.name)) {
    const auto name = s->name;
    model.remove_sequence(name);
  }
  std::vector<ObjectName> partitions;
  for (const auto* p : partition_tree(model, written_.table.name)) partitions.push_back(p->name);
  for (const auto& p : partitions) model.remove_table(p);
  model.remove_table(written_.table.name);
}

std::vector<PlanStep> DropTableOp::up(const SchemaModel&) const {
  return {step(describe(), fmt::format("DROP TABLE {}", written_.table.name))};
}

std::vector<PlanStep> DropTableOp::down(const SchemaModel& before) const {
  const auto& table = *before.find_table(written_.table.name);
  const auto owned = before.sequences_owned_by(table.name);
  auto steps = create_owned_sequences(owned);
  append(steps, create_table_steps(table));
  for (const auto& t : table.triggers) append(steps, create_trigger_steps(table.name, t));
  append(steps, own_sequences(owned));
  for (const auto* partition : partition_tree(before, table.name)) {
    append(steps, create_table_steps(*partition));
    for (const auto& t : partition->triggers)
      append(steps, create_trigger_steps(partition->name, t));
  }
  return steps;
}

Reversal DropTableOp::reversal(const SchemaModel& before) const {
  const auto partitions = partition_tree(before, written_.table.name);
  return {Reversibility::Lossy,
          fmt::format("the downgrade re-creates table `{}`{} empty: its rows are not restored",
                      written_.table.name.display(),
                      partitions.empty() ? ""
                                         : fmt::format(" and its {} partition{}", partitions.size(),
                                                       partitions.size() == 1 ? "" : "s"))};
}

OperationPtr resolve(const ast::DropTable& written, const SchemaModel& before, CheckContext& ctx) {
  if (!require_table(before, written.table, ctx)) return nullptr;
  for (const auto& [other, fk] : before.foreign_keys_to(written.table.name)) {
    if (other->name == written.table.name) continue;
    ctx.error(written.table.span,
              fmt::format("table `{}` is referenced by foreign key `{}` of table `{}`",
                          written.table.name.display(), fk->name, other->name.display()),
              fmt::format("drop constraint `{}` first", fk->name));
    return nullptr;
  }
  if (!require_no_view_reading(before, written.table.name, std::nullopt, "drop", written.table.span,
                               ctx) ||
      !require_owned_sequences_unused(before, before.sequences_owned_by(written.table.name),
                                      written.table.name, std::nullopt, written.table.span, ctx))
    return nullptr;
  return std::make_unique<DropTableOp>(written);
}

}  // namespace mig
