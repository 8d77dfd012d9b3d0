#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class BackfillOp final : public Operation {
 public:
  BackfillOp(const ast::Backfill& written, int batch_size)
      : written_(written), batch_size_(batch_size) {}
  std::string describe() const override;
  void apply(SchemaModel&, int) const override {}
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel&) const override { return {}; }
  Reversal reversal(const SchemaModel&) const override;

 private:
  const ast::Backfill& written_;
  int batch_size_;
};

constexpr int kDefaultBatchSize = 10'000;
constexpr int kMaxBatchSize = 10'000'000;

}  // namespace

// A backfill sets columns; without assignments (`delete from`) it deletes the rows its
// predicate selects. Both run in the same keyset batches.

std::string BackfillOp::describe() const {
  if (written_.assignments.empty())
    return fmt::format("delete rows of {} in batches of {}", written_.table.name.display(),
                       batch_size_);
  std::string columns;
  for (const auto& a : written_.assignments)
    columns += (columns.empty() ? "" : ", ") + a.column.value;
  return fmt::format("backfill {} of {} in batches of {}", columns, written_.table.name.display(),
                     batch_size_);
}

std::vector<PlanStep> BackfillOp::up(const SchemaModel& before) const {
  BackfillSpec spec;
  spec.table = fmt::format("{}", written_.table.name);
  for (const auto& k : before.find_table(written_.table.name)->primary_key()->columns)
    spec.key_columns.push_back(quote_ident(k));
  for (const auto& a : written_.assignments)
    spec.set_clause += fmt::format("{}{} = {}", spec.set_clause.empty() ? "" : ", ",
                                   Ident{a.column.value}, a.value.text);
  if (written_.where) spec.where = written_.where->text;
  spec.batch_size = batch_size_;
  // The equivalent single statement, for review; the runtime runs it in keyset batches.
  auto sql = spec.set_clause.empty() ? fmt::format("DELETE FROM {}", spec.table)
                                     : fmt::format("UPDATE {} SET {}", spec.table, spec.set_clause);
  if (!spec.where.empty()) sql += " WHERE " + spec.where;
  auto s = step(describe(), sql);
  s.backfill = spec;
  return {s};
}

Reversal BackfillOp::reversal(const SchemaModel&) const {
  if (written_.assignments.empty())
    return {Reversibility::Lossy,
            fmt::format("the rows deleted from `{}` are not restored on downgrade",
                        written_.table.name.display())};
  return {Reversibility::Lossy,
          fmt::format("the values the backfill of `{}` wrote are not restored "
                      "on downgrade",
                      written_.table.name.display())};
}

OperationPtr resolve(const ast::Backfill& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  if (!t) return nullptr;
  const int errors = ctx.errors();
  for (const auto& a : written.assignments) {
    const auto* column = require_column(*t, a.column, ctx);
    if (column && column->generated)
      ctx.error(
          a.column.span,
          fmt::format("column `{}` is generated: PostgreSQL computes its value", a.column.value),
          "backfill the columns it reads instead");
  }
  if (!t->primary_key())
    ctx.error(written.table.span,
              fmt::format("table `{}` has no primary key", written.table.name.display()),
              "batches walk the table in primary key order, one batch per transaction");
  int batch_size = kDefaultBatchSize;
  if (const auto& b = written.batch_size) {
    batch_size = b->digits.size() > 8 ? 0 : std::stoi(b->digits);
    if (batch_size < 1 || batch_size > kMaxBatchSize)
      ctx.error(b->span, fmt::format("the batch size must be between 1 and {}", kMaxBatchSize));
  }
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<BackfillOp>(written, batch_size);
}

}  // namespace mig
