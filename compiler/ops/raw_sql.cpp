#include "compiler/effects/sql_effects.hpp"
#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

std::vector<PlanStep> steps_of(const std::vector<RawStatement>& statements) {
  std::vector<PlanStep> steps;
  for (const auto& s : statements) steps.push_back(step(sql_step_description(s.sql), s.sql));
  return steps;
}

}  // namespace

std::string RawSql::describe() const { return "sql block"; }

// Raw SQL is opaque to the schema model.
bool RawSql::check(const SchemaModel&, CheckContext&) { return true; }
void RawSql::apply(SchemaModel&, int) const {}

std::vector<PlanStep> RawSql::up(const SchemaModel&) const { return steps_of(up_statements); }

std::vector<PlanStep> RawSql::down(const SchemaModel&) const {
  return down_statements ? steps_of(*down_statements) : std::vector<PlanStep>{};
}

std::vector<Span> RawSql::step_spans() const {
  std::vector<Span> spans;
  for (const auto& s : up_statements) spans.push_back(s.span);
  return spans;
}

Reversal RawSql::reversal(const SchemaModel&) const {
  if (down_statements) return {};
  return {Reversibility::Irreversible, "a `sql` block without `down { }` cannot be reverted"};
}

}  // namespace mig
