#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/ops/sequence_support.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

class DropColumnOp final : public Operation {
 public:
  explicit DropColumnOp(const ast::DropColumn& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel&) const override;

 private:
  const ast::DropColumn& written_;
};

}  // namespace

std::string DropColumnOp::describe() const {
  return fmt::format("drop column {} from {}", written_.column.value,
                     written_.table.name.display());
}

// PostgreSQL drops the indexes and constraints that involve the column, and the sequences it
// owns, along with it.
void DropColumnOp::apply(SchemaModel& model, int) const {
  for (const auto* s : model.sequences_owned_by(written_.table.name, written_.column.value)) {
    const auto name = s->name;
    model.remove_sequence(name);
  }
  model.edit_table(written_.table.name, [&](Table& t) {
    std::erase_if(t.columns, [&](const Column& c) { return c.name == written_.column.value; });
    std::erase_if(t.constraints,
                  [&](const Constraint& c) { return mentions_column(c, written_.column.value); });
    std::erase_if(t.indexes,
                  [&](const Index& i) { return mentions_column(i, written_.column.value); });
  });
}

std::vector<PlanStep> DropColumnOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name,
                               fmt::format("DROP COLUMN {}", Ident{written_.column.value})))};
}

std::vector<PlanStep> DropColumnOp::down(const SchemaModel& before) const {
  const auto& t = *before.find_table(written_.table.name);
  const auto& dropped = *t.find_column(written_.column.value);
  const auto sequence = serial_sequence_sql(t, dropped);
  const auto owned = before.sequences_owned_by(t.name, dropped.name);
  auto steps = create_owned_sequences(owned);
  if (sequence) steps.push_back(sequence_step(*dropped.sequence, sequence->first));
  steps.push_back(step(
      fmt::format("re-add column {} to {}", written_.column.value, written_.table.name.display()),
      alter_table_sql(written_.table.name,
                      "ADD COLUMN " + column_sql(written_.table.name, dropped))));
  if (sequence) steps.push_back(sequence_step(*dropped.sequence, sequence->second));
  for (auto& s : own_sequences(owned)) steps.push_back(std::move(s));
  for (const auto& c : t.constraints)
    if (mentions_column(c, written_.column.value))
      append(steps, add_constraint_steps(written_.table.name, c));
  for (const auto& i : t.indexes)
    if (mentions_column(i, written_.column.value))
      append(steps, create_index_steps(written_.table.name, i));
  add_comment_step(steps, column_ref(written_.table.name, dropped.name), dropped.comment);
  append(steps, column_sequence_grant_steps(written_.table.name, dropped));
  return steps;
}

namespace {

// Whether a check can be false for a NULL column: PostgreSQL passes a check that is NULL,
// and operators and most functions give NULL for NULL; these forms do not.
bool may_reject_null(const std::string& check) {
  const auto* tree = tree_of(parse_in_context("ALTER TABLE t ADD CHECK (", check, ")"));
  if (!tree) return true;
  const auto& json = *tree;
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
      case ConstraintKind::Exclusion:
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
          Index key_only;
          key_only.keys = {k};
          return !k.column && mentions_column(key_only, column.name);
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

Reversal DropColumnOp::reversal(const SchemaModel& before) const {
  const auto& t = *before.find_table(written_.table.name);
  const auto why = rejections(t, *t.find_column(written_.column.value));
  if (why.empty())
    return {Reversibility::Lossy,
            fmt::format("the downgrade re-adds column `{}` of `{}` without its data",
                        written_.column.value, written_.table.name.display())};
  std::string reasons;
  for (const auto& r : why) reasons += (reasons.empty() ? "" : "; ") + r;
  return {Reversibility::Lossy,
          fmt::format("the downgrade re-adds column `{}` of `{}` without its data, and fails "
                      "while the table has rows: {}",
                      written_.column.value, written_.table.name.display(), reasons)};
}

OperationPtr resolve(const ast::DropColumn& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  if (!t || !require_column(*t, written.column, ctx)) return nullptr;
  for (const auto& [other, fk] : before.foreign_keys_to(written.table.name, written.column.value)) {
    ctx.error(written.column.span,
              fmt::format("column `{}` is referenced by foreign key `{}` of table `{}`",
                          written.column.value, fk->name, other->name.display()),
              fmt::format("drop constraint `{}` first", fk->name));
    return nullptr;
  }
  if (!require_no_view_reading(before, t->name, written.column.value, "drop", written.column.span,
                               ctx) ||
      !require_no_trigger_naming(*t, written.column.value, "drop", "drop trigger {} first",
                                 written.column.span, ctx) ||
      !require_no_expression_naming(*t, written.column.value, "drop", written.column.span, ctx) ||
      !require_owned_sequences_unused(before,
                                      before.sequences_owned_by(t->name, written.column.value),
                                      t->name, written.column.value, written.column.span, ctx))
    return nullptr;
  return std::make_unique<DropColumnOp>(written);
}

}  // namespace mig
