#include <map>

#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// The transaction the step of a raw statement runs in (nullopt: alone, or not found).
std::optional<int> transaction_of(const CompiledMigration& m, const std::string& sql) {
  for (const auto& step : m.plan.up)
    if (step.sql == sql) return step.transaction;
  return std::nullopt;
}

class ValidateInSameMigration final : public Rule {
 public:
  std::string_view id() const override { return "validate-in-same-migration"; }
  std::string_view summary() const override {
    return "`validate constraint` in the same migration as its `not valid` add";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    const auto* validate = dynamic_cast<const ValidateConstraint*>(&view.op);
    if (!validate || ctx.is_new(validate->table.name)) return;
    const auto* c =
        view.before.find_table(validate->table.name)->find_constraint(validate->name.value);
    if (!c || c->version != ctx.migration.version) return;
    const auto table = validate->table.name.display();
    ctx.report(validate->span, validate->statement,
               fmt::format("constraint `{}` is validated in the migration that adds it `not "
                           "valid`: mig commits the add first (it plans them in separate "
                           "transactions), but the deploy still waits for the scan of every row "
                           "of `{}`, and a row that fails the check fails this migration after "
                           "its schema change is committed",
                           validate->name.value, table),
               fmt::format("move the validation to a later migration, deployed once the "
                           "application writes only valid rows:\n"
                           "    alter table {} validate constraint {}",
                           ctx.text(validate->table.span), ctx.text(validate->name.span)));
  }

  // Raw `VALIDATE CONSTRAINT` after a `NOT VALID` add in the same migration.
  void check_migration(const LintContext& ctx, const SchemaModel& after) const override {
    std::map<std::pair<ObjectName, std::string>, std::optional<int>> added;  // -> transaction
    for (const auto& op : ctx.migration.parsed.operations) {
      for (const auto& s : raw_statements(*op)) {
        const auto* node = statement_node(s.tree, "AlterTableStmt");
        if (!node) continue;
        const auto table = relation_of((*node)["relation"]);
        for (const auto* cmd : alter_commands(*node)) {
          const auto subtype = cmd->value("subtype", "");
          if (subtype == "AT_AddConstraint" && (*cmd)["def"].contains("Constraint")) {
            const auto& c = (*cmd)["def"]["Constraint"];
            if (c.value("skip_validation", false))
              added[{table, c.value("conname", "")}] = transaction_of(ctx.migration, s.sql);
            continue;
          }
          if (subtype != "AT_ValidateConstraint" || ctx.is_new(table)) continue;
          const auto name = cmd->value("name", "");
          const auto found = added.find({table, name});
          const auto* model_table = after.find_table(table);
          const auto* model_constraint = model_table ? model_table->find_constraint(name) : nullptr;
          if (found == added.end() &&
              !(model_constraint && model_constraint->version == ctx.migration.version))
            continue;
          const auto here = transaction_of(ctx.migration, s.sql);
          const bool same_transaction =
              found != added.end() && found->second && here && *found->second == *here;
          ctx.report(
              s.span, op->statement,
              same_transaction
                  ? fmt::format("constraint `{}` is validated in the same transaction that adds "
                                "it NOT VALID: the lock the add took on `{}` is held through the "
                                "scan of every row, so the NOT VALID saves nothing",
                                name, table.display())
                  : fmt::format("constraint `{}` is validated in the migration that adds it NOT "
                                "VALID: the deploy waits for the scan of every row of `{}`",
                                name, table.display()),
              "move `VALIDATE CONSTRAINT` to a later migration: it then scans under SHARE UPDATE "
              "EXCLUSIVE, which lets reads and writes go on");
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ValidateInSameMigration() {
  return std::make_unique<ValidateInSameMigration>();
}

}  // namespace mig
