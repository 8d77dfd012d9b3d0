#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/view_renames.hpp"

namespace mig {

namespace {

class RenameTableOp final : public Operation {
 public:
  explicit RenameTableOp(const ast::RenameTable& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::RenameTable& written_;
};

ObjectName renamed(const TableRef& table, const TableRef& new_name) {
  return {table.name.schema, new_name.name.name};
}

}  // namespace

std::string RenameTableOp::describe() const {
  return fmt::format("rename table {} to {}", written_.table.name.display(),
                     written_.new_name.name.name);
}

void RenameTableOp::apply(SchemaModel& model, int version) const {
  const auto target = renamed(written_.table, written_.new_name);
  follow_table_rename(model, written_.table.name, target, version);
  move_table(model, written_.table.name, target);
}

std::vector<PlanStep> RenameTableOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name,
                               fmt::format("RENAME TO {}", Ident{written_.new_name.name.name})))};
}

std::vector<PlanStep> RenameTableOp::down(const SchemaModel&) const {
  const auto target = renamed(written_.table, written_.new_name);
  return {
      step(fmt::format("rename table {} back to {}", target.display(), written_.table.name.name),
           alter_table_sql(target, fmt::format("RENAME TO {}", Ident{written_.table.name.name})))};
}

OperationPtr resolve(const ast::RenameTable& written, const SchemaModel& before,
                     CheckContext& ctx) {
  if (!require_table(before, written.table, ctx) ||
      !require_relation_rename(before, written.table.name, written.new_name, "a table", ctx))
    return nullptr;
  return std::make_unique<RenameTableOp>(written);
}

}  // namespace mig
