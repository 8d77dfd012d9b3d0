#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class RequiredColumnWithoutDefault final : public Rule {
 public:
  std::string_view id() const override { return "required-column-without-default"; }
  std::string_view summary() const override {
    return "a `not null` column without a default added to an existing table";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* add = dynamic_cast<const AddColumn*>(&view.op)) {
      const auto& c = add->column;
      if (!(c.not_null || c.primary_key) || c.default_expr || c.identity != Identity::None ||
          is_serial(type_shape(c.type.tree).first) || ctx.is_new(add->table.name))
        return;
      const auto table = ctx.text(add->table.span);
      report(ctx, c.span, add->statement, c.name.value, add->table.name.display(),
             fmt::format("give it a default; on PostgreSQL 11+ a constant default only changes "
                         "the catalog:\n"
                         "    alter table {} add column {} {} not null default VALUE\n"
                         "  or add it nullable, fill it with `backfill` in a later migration, "
                         "then make it `not null` (see `mig explain set-not-null-scan`)",
                         table, ctx.text(c.name.span), c.type.text));
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* cmd : alter_commands(*node)) {
        if (cmd->value("subtype", "") != "AT_AddColumn" || !cmd->contains("def")) continue;
        const auto& def = (*cmd)["def"].value("ColumnDef", nlohmann::json::object());
        const bool required =
            column_constraint(def, "CONSTR_NOTNULL") || column_constraint(def, "CONSTR_PRIMARY");
        const bool filled =
            column_constraint(def, "CONSTR_DEFAULT") || column_constraint(def, "CONSTR_IDENTITY") ||
            column_constraint(def, "CONSTR_GENERATED") || is_serial(type_shape(def).first);
        if (!required || filled) continue;
        report(ctx, s.span, view.op.statement, def.value("colname", ""), table.display(),
               "give it a default (`ADD COLUMN ... NOT NULL DEFAULT value`; on PostgreSQL 11+ a "
               "constant default only changes the catalog), or add it nullable, backfill it, "
               "then set it NOT NULL");
      }
    }
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& column,
                     const std::string& table, std::string help) {
    ctx.report(span, statement,
               fmt::format("column `{}` is added to `{}` as `not null` without a default: if `{}` "
                           "has rows, the ALTER TABLE fails (the rows would have NULL there), "
                           "and inserts of the running application, which does not know the "
                           "column, fail too",
                           column, table, table),
               std::move(help));
  }
};

}  // namespace

std::unique_ptr<Rule> make_RequiredColumnWithoutDefault() {
  return std::make_unique<RequiredColumnWithoutDefault>();
}

}  // namespace mig
