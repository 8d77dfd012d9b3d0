#include "compiler/effects/sql_effects.hpp"
#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

std::vector<PlanStep> steps_of(const std::vector<RawStatement>& statements) {
  std::vector<PlanStep> steps;
  for (const auto& s : statements) steps.push_back(step(sql_step_description(s.sql), s.sql));
  return steps;
}

// The schemas and types a statement creates, which the model knows only this way.
void note_creations(const nlohmann::json& tree, SchemaModel& model) {
  if (const auto* schema = find_node(tree, "CreateSchemaStmt")) {
    // `create schema authorization joe` names the schema after the role.
    const auto* role = find_node(*schema, "rolename");
    model.add_schema(schema->value("schemaname", role ? role->get<std::string>() : ""));
  }
  const bool creates_type =
      tree.contains("CreateEnumStmt") || tree.contains("CompositeTypeStmt") ||
      tree.contains("CreateRangeStmt") || tree.contains("CreateDomainStmt") ||
      tree.contains("CreateExtensionStmt") ||
      (tree.contains("DefineStmt") && tree["DefineStmt"].value("kind", "") == "OBJECT_TYPE");
  if (creates_type) model.allow_unknown_types();
  if (tree.contains("DoStmt")) {
    model.allow_unknown_types();
    model.allow_any_schema();
  }
}

}  // namespace

std::string RawSql::describe() const { return "sql block"; }

// Raw SQL is opaque to the schema model, but for the schemas and types it creates.
bool RawSql::check(const SchemaModel&, CheckContext&) { return true; }

void RawSql::apply(SchemaModel& model, int) const {
  for (const auto& s : up_statements) note_creations(s.tree, model);
}

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
