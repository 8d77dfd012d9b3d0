#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

// A backfill sets columns; without assignments (`delete from`) it deletes the rows its
// predicate selects. Both run in the same keyset batches.

std::string Backfill::describe() const {
  if (assignments.empty())
    return fmt::format("delete rows of {} in batches of {}", table.name.display(), batch_size);
  std::string columns;
  for (const auto& a : assignments) columns += (columns.empty() ? "" : ", ") + a.column.value;
  return fmt::format("backfill {} of {} in batches of {}", columns, table.name.display(),
                     batch_size);
}

bool Backfill::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t) return false;
  const int errors = ctx.errors();
  for (const auto& a : assignments) require_column(*t, a.column, ctx);
  if (!t->primary_key())
    ctx.error(table.span, fmt::format("table `{}` has no primary key", table.name.display()),
              "batches walk the table in primary key order, one batch per transaction");
  return ctx.errors() == errors;
}

void Backfill::apply(SchemaModel&, int) const {}

std::vector<PlanStep> Backfill::up(const SchemaModel& before) const {
  BackfillSpec spec;
  spec.table = fmt::format("{}", table.name);
  for (const auto& k : before.find_table(table.name)->primary_key()->columns)
    spec.key_columns.push_back(quote_ident(k));
  for (const auto& a : assignments)
    spec.set_clause += fmt::format("{}{} = {}", spec.set_clause.empty() ? "" : ", ",
                                   Ident{a.column.value}, a.value.text);
  if (where) spec.where = where->text;
  spec.batch_size = batch_size;
  // The equivalent single statement, for review; the runtime runs it in keyset batches.
  auto sql = spec.set_clause.empty() ? fmt::format("DELETE FROM {}", spec.table)
                                     : fmt::format("UPDATE {} SET {}", spec.table, spec.set_clause);
  if (!spec.where.empty()) sql += " WHERE " + spec.where;
  auto s = step(describe(), sql);
  s.backfill = spec;
  return {s};
}

std::vector<PlanStep> Backfill::down(const SchemaModel&) const { return {}; }

Reversal Backfill::reversal(const SchemaModel&) const {
  if (assignments.empty())
    return {Reversibility::Lossy,
            fmt::format("the rows deleted from `{}` are not restored on downgrade",
                        table.name.display())};
  return {Reversibility::Lossy,
          fmt::format("the values the backfill of `{}` wrote are not restored "
                      "on downgrade",
                      table.name.display())};
}

}  // namespace mig
