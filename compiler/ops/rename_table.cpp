#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

ObjectName renamed(const TableRef& table, const TableRef& new_name) {
  return {table.name.schema, new_name.name.name};
}

}  // namespace

std::string RenameTable::describe() const {
  return fmt::format("rename table {} to {}", table.name.display(), new_name.name.name);
}

bool RenameTable::check(const SchemaModel& before, CheckContext& ctx) {
  if (!require_table(before, table, ctx)) return false;
  const auto target = renamed(table, new_name);
  const bool qualified_elsewhere = ctx.file_text(new_name.span).find('.') != std::string::npos &&
                                   new_name.name.schema != table.name.schema;
  if (qualified_elsewhere) {
    ctx.error(new_name.span, "a rename cannot move a table to another schema");
    return false;
  }
  if (before.relation_exists(target)) {
    ctx.error(new_name.span,
              fmt::format("`{}` is already the name of a table or index", target.display()));
    return false;
  }
  return true;
}

void RenameTable::apply(SchemaModel& model, int) const {
  const auto target = renamed(table, new_name);
  model.edit_tables_referencing(table.name, [&](Table& t) {
    for (auto& c : t.constraints)
      if (c.references && c.references->table == table.name) c.references->table = target;
  });
  model.edit_table(table.name, [&](Table& t) { t.name = target; });
}

std::vector<PlanStep> RenameTable::up(const SchemaModel&) const {
  return {step(describe(), alter_table_sql(table.name, fmt::format("RENAME TO {}",
                                                                   Ident{new_name.name.name})))};
}

std::vector<PlanStep> RenameTable::down(const SchemaModel&) const {
  const auto target = renamed(table, new_name);
  return {step(fmt::format("rename table {} back to {}", target.display(), table.name.name),
               alter_table_sql(target, fmt::format("RENAME TO {}", Ident{table.name.name})))};
}

}  // namespace mig
