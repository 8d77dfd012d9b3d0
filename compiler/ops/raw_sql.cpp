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

class RawSqlOp final : public Operation {
 public:
  explicit RawSqlOp(const ast::RawSql& written) : written_(written) {}
  std::string describe() const override { return "sql block"; }
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return steps_of(written_.up_statements);
  }
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel&) const override;
  const ast::RawSql* written_sql() const override { return &written_; }

 private:
  const ast::RawSql& written_;
};

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

// Raw SQL is opaque to the schema model, but for the schemas and types it creates.
void RawSqlOp::apply(SchemaModel& model, int) const {
  for (const auto& s : written_.up_statements) note_creations(s.tree, model);
}

std::vector<PlanStep> RawSqlOp::down(const SchemaModel&) const {
  return written_.down_statements ? steps_of(*written_.down_statements) : std::vector<PlanStep>{};
}

Reversal RawSqlOp::reversal(const SchemaModel&) const {
  if (written_.down_statements) return {};
  return {Reversibility::Irreversible, "a `sql` block without `down { }` cannot be reverted"};
}

namespace {

// mig plans the transactions; a block that controlled them would break that plan.
bool controls_transactions(const std::vector<RawStatement>& statements, CheckContext& ctx) {
  bool found = false;
  for (const auto& s : statements)
    if (s.tree.contains("TransactionStmt")) {
      ctx.error(s.span, "a `sql` block must not begin, commit or roll back transactions",
                "mig plans the transactions: each statement runs in the migration's transaction "
                "unless PostgreSQL requires it to run alone");
      found = true;
    }
  return found;
}

}  // namespace

OperationPtr resolve(const ast::RawSql& written, const SchemaModel&, CheckContext& ctx) {
  const bool up = controls_transactions(written.up_statements, ctx);
  const bool down = written.down_statements && controls_transactions(*written.down_statements, ctx);
  if (up || down) return nullptr;
  return std::make_unique<RawSqlOp>(written);
}

}  // namespace mig
