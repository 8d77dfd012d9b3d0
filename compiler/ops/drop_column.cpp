#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

std::string DropColumn::describe() const {
  return fmt::format("drop column {} from {}", column.value, table.name.display());
}

bool DropColumn::check(const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, table, ctx);
  if (!t || !require_column(*t, column, ctx)) return false;
  for (const auto& [other, fk] : before.foreign_keys_to(table.name, column.value)) {
    ctx.error(column.span,
              fmt::format("column `{}` is referenced by foreign key `{}` of table `{}`",
                          column.value, fk->name, other->name.display()),
              fmt::format("drop constraint `{}` first", fk->name));
    return false;
  }
  return true;
}

// PostgreSQL drops the indexes and constraints that involve the column along with it.
void DropColumn::apply(SchemaModel& model, int) const {
  model.edit_table(table.name, [&](Table& t) {
    std::erase_if(t.columns, [&](const Column& c) { return c.name == column.value; });
    std::erase_if(t.constraints,
                  [&](const Constraint& c) { return mentions_column(c, column.value); });
    std::erase_if(t.indexes, [&](const Index& i) { return mentions_column(i, column.value); });
  });
}

std::vector<PlanStep> DropColumn::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(table.name, fmt::format("DROP COLUMN {}", Ident{column.value})))};
}

std::vector<PlanStep> DropColumn::down(const SchemaModel& before) const {
  const auto& t = *before.find_table(table.name);
  const auto& dropped = *t.find_column(column.value);
  const auto sequence = serial_sequence_sql(table.name, dropped);
  std::vector<PlanStep> steps;
  if (sequence) steps.push_back(sequence_step(*dropped.sequence, sequence->first));
  steps.push_back(
      step(fmt::format("re-add column {} to {}", column.value, table.name.display()),
           alter_table_sql(table.name, "ADD COLUMN " + column_sql(table.name, dropped))));
  if (sequence) steps.push_back(sequence_step(*dropped.sequence, sequence->second));
  for (const auto& c : t.constraints)
    if (mentions_column(c, column.value)) steps.push_back(add_constraint_step(table.name, c));
  for (const auto& i : t.indexes)
    if (mentions_column(i, column.value)) steps.push_back(create_index_step(table.name, i));
  return steps;
}

namespace {

// Whether a check can be false for a NULL column: PostgreSQL passes a check that is NULL,
// and operators and most functions give NULL for NULL; these forms do not.
bool may_reject_null(const std::string& check) {
  const auto& tree = parse_in_context("ALTER TABLE t ADD CHECK (", check, ")");
  if (!std::holds_alternative<nlohmann::json>(tree)) return true;
  const auto& json = std::get<nlohmann::json>(tree);
  for (const auto* node :
       {"NullTest", "BooleanTest", "CoalesceExpr", "CaseExpr", "MinMaxExpr", "NullIfExpr"})
    if (find_node(json, node)) return true;
  const auto dump = json.dump();
  for (const auto* form :
       {"AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT", "\"concat", "\"num_n", "\"format\""})
    if (dump.find(form) != std::string::npos) return true;
  return false;
}

// Why re-adding `column` to `t`, which has rows, fails: every row gets the same value (its
// default, or NULL) or, for identity and serial columns, a new distinct one.
std::vector<std::string> rejections(const Table& t, const Column& column) {
  std::vector<std::string> out;
  const bool generated = owns_sequence(column);
  if (column.not_null && !column.default_expr && !generated) {
    out.push_back("it is not null without a default");
    return out;
  }
  const auto value = column.default_expr ? fmt::format("its default `{}`", *column.default_expr)
                                         : std::string("NULL");
  const bool same_value = !generated && column.default_expr;
  const bool non_null = generated || column.default_expr;
  for (const auto& c : t.constraints) {
    if (!mentions_column(c, column.name)) continue;
    switch (c.kind) {
      case ConstraintKind::PrimaryKey:
      case ConstraintKind::Unique:
        if (same_value)
          out.push_back(
              fmt::format("every row gets {}, which `{}` rejects in a second row", value, c.name));
        break;
      case ConstraintKind::Check:
        if (!c.validated) break;
        if (non_null || may_reject_null(c.check))
          out.push_back(
              fmt::format("every row gets {}, which check `{}` may reject", value, c.name));
        break;
      case ConstraintKind::ForeignKey:
        if (c.validated && non_null)
          out.push_back(
              fmt::format("every row gets {}, which foreign key `{}` rejects unless `{}` "
                          "has that key",
                          value, c.name, c.references->table.display()));
        break;
    }
  }
  for (const auto& i : t.indexes) {
    if (!i.unique || !mentions_column(i, column.name)) continue;
    const bool in_expression =
        !i.where.empty() || std::any_of(i.keys.begin(), i.keys.end(), [&](const IndexKey& k) {
          return !k.column && mentions_column(Index{"", false, "", {k}, ""}, column.name);
        });
    if (same_value || in_expression)
      out.push_back(
          fmt::format("every row gets {}, which unique index `{}` may reject in a "
                      "second row",
                      value, i.name));
  }
  return out;
}

}  // namespace

Reversal DropColumn::reversal(const SchemaModel& before) const {
  const auto& t = *before.find_table(table.name);
  const auto why = rejections(t, *t.find_column(column.value));
  if (why.empty())
    return {Reversibility::Lossy,
            fmt::format("the downgrade re-adds column `{}` of `{}` without its data", column.value,
                        table.name.display())};
  std::string reasons;
  for (const auto& r : why) reasons += (reasons.empty() ? "" : "; ") + r;
  return {Reversibility::Lossy,
          fmt::format("the downgrade re-adds column `{}` of `{}` without its data, and fails "
                      "while the table has rows: {}",
                      column.value, table.name.display(), reasons)};
}

}  // namespace mig
