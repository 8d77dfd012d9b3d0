#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

std::string DropTable::describe() const {
  return fmt::format("drop table {}", table.name.display());
}

bool DropTable::check(const SchemaModel& before, CheckContext& ctx) {
  if (!require_table(before, table, ctx)) return false;
  for (const auto& [other, fk] : before.foreign_keys_to(table.name)) {
    if (other->name == table.name) continue;
    ctx.error(table.span,
              fmt::format("table `{}` is referenced by foreign key `{}` of table `{}`",
                          table.name.display(), fk->name, other->name.display()),
              fmt::format("drop constraint `{}` first", fk->name));
    return false;
  }
  return true;
}

void DropTable::apply(SchemaModel& model, int) const { model.remove_table(table.name); }

std::vector<PlanStep> DropTable::up(const SchemaModel&) const {
  return {step(describe(), fmt::format("DROP TABLE {}", table.name))};
}

std::vector<PlanStep> DropTable::down(const SchemaModel& before) const {
  return create_table_steps(*before.find_table(table.name));
}

Reversal DropTable::reversal(const SchemaModel&) const {
  return {Reversibility::Lossy,
          fmt::format("the downgrade re-creates table `{}` empty: its rows are not restored",
                      table.name.display())};
}

}  // namespace mig
