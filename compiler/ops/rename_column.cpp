#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

std::string RenameColumn::describe() const {
  return fmt::format("rename column {} of {} to {}", column.value, table.name.display(),
                     new_name.value);
}

bool RenameColumn::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t || !require_column(*t, column, ctx)) return false;
  if (t->find_column(new_name.value)) {
    ctx.error(new_name.span, fmt::format("column `{}` already exists in table `{}`", new_name.value,
                                         table.name.display()));
    return false;
  }
  return true;
}

// Keeps the model's stored expressions and key lists in step with the new name, as
// PostgreSQL does for the real objects.
void RenameColumn::apply(SchemaModel& model, int) const {
  const auto& from = column.value;
  const auto& to = new_name.value;
  auto rename_in = [&](std::vector<std::string>& names) {
    for (auto& n : names)
      if (n == from) n = to;
  };
  model.edit_table(table.name, [&](Table& t) {
    t.find_column(from)->name = to;
    for (auto& c : t.constraints) {
      rename_in(c.columns);
      if (c.kind == ConstraintKind::Check)
        c.check = rename_column_refs("ALTER TABLE t ADD CHECK (", c.check, ")", from, to);
    }
    for (auto& i : t.indexes) {
      for (auto& k : i.keys) {
        if (k.column == from) {
          k.column = to;
          k.sql = k.sql == quote_ident(from)
                      ? quote_ident(to)
                      : rename_column_refs("CREATE INDEX i ON t (", k.sql, ")", from, to);
        } else if (!k.column) {
          k.sql = rename_column_refs("CREATE INDEX i ON t (", k.sql, ")", from, to);
        }
      }
      if (!i.where.empty())
        i.where = rename_column_refs("CREATE INDEX i ON t (x) WHERE ", i.where, "", from, to);
    }
  });
  model.edit_tables_referencing(table.name, [&](Table& other) {
    for (auto& c : other.constraints)
      if (c.references && c.references->table == table.name) rename_in(c.references->columns);
  });
}

std::vector<PlanStep> RenameColumn::up(const SchemaModel&) const {
  return {step(describe(), alter_table_sql(table.name, fmt::format("RENAME COLUMN {} TO {}",
                                                                   Ident{column.value},
                                                                   Ident{new_name.value})))};
}

std::vector<PlanStep> RenameColumn::down(const SchemaModel&) const {
  return {
      step(fmt::format("rename column {} of {} back to {}", new_name.value, table.name.display(),
                       column.value),
           alter_table_sql(table.name, fmt::format("RENAME COLUMN {} TO {}", Ident{new_name.value},
                                                   Ident{column.value})))};
}

}  // namespace mig
