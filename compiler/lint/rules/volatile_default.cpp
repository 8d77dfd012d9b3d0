#include "compiler/lint/lint_support.hpp"
#include "compiler/sql/volatility.hpp"

namespace mig {

namespace {

class VolatileDefault final : public Rule {
 public:
  std::string_view id() const override { return "volatile-default"; }
  std::string_view summary() const override {
    return "a column added with a default that rewrites an existing table";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    const int pg = ctx.settings.pg_version;
    if (const auto* add = dynamic_cast<const AddColumn*>(&view.op)) {
      if (ctx.is_new(add->table.name)) return;
      const auto& c = add->column;
      const auto table = std::string(ctx.text(add->table.span));
      const auto column = std::string(ctx.text(c.name.span));
      const auto display = add->table.name.display();
      if (c.default_expr && (pg < 11 || is_volatile(c.default_expr->tree))) {
        const bool volatile_value = is_volatile(c.default_expr->tree);
        ctx.report(
            c.default_expr->span, add->statement,
            volatile_value
                ? fmt::format("column `{}` is added to `{}` with the volatile default `{}`: "
                              "PostgreSQL computes it for every row, rewriting `{}` and its "
                              "indexes under ACCESS EXCLUSIVE; every read and write of `{}` "
                              "waits for the rewrite",
                              c.name.value, display, c.default_expr->text, display, display)
                : fmt::format("column `{}` is added to `{}` with a default: before PostgreSQL "
                              "11 (the target is {}) any default rewrites `{}` and its indexes "
                              "under ACCESS EXCLUSIVE; every read and write of `{}` waits for "
                              "the rewrite",
                              c.name.value, display, pg, display, display),
            phased_help(table, column, c.type.text, c.default_expr->text, c.not_null,
                        volatile_value && pg >= 11));
        return;
      }
      const auto base = type_shape(c.type.tree).first;
      if (c.identity != Identity::None || is_serial(base))
        ctx.report(c.span, add->statement,
                   fmt::format("column `{}` is added to `{}` as {}: PostgreSQL fills it from a "
                               "sequence for every row, rewriting `{}` under ACCESS EXCLUSIVE; "
                               "every read and write of `{}` waits for the rewrite",
                               c.name.value, display,
                               is_serial(base) ? fmt::format("`{}`", base) : "an identity column",
                               display, display),
                   "add a plain nullable `bigint` column, give it a sequence default with "
                   "`alter column ... set default nextval('SEQUENCE')` (it applies to new rows "
                   "only), and fill the existing rows with `backfill` in a later migration");
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* cmd : alter_commands(*node)) {
        if (cmd->value("subtype", "") != "AT_AddColumn" || !cmd->contains("def")) continue;
        const auto& def = (*cmd)["def"].value("ColumnDef", nlohmann::json::object());
        const auto* default_expr = column_constraint(def, "CONSTR_DEFAULT");
        const bool volatile_value =
            default_expr && is_volatile(default_expr->value("raw_expr", nlohmann::json::object()));
        const bool sequence = column_constraint(def, "CONSTR_IDENTITY") ||
                              column_constraint(def, "CONSTR_GENERATED") ||
                              is_serial(type_shape(def).first);
        if (!(volatile_value || sequence || (default_expr && pg < 11))) continue;
        const auto why = volatile_value ? std::string("a volatile default")
                         : sequence     ? std::string("a value computed for every row")
                                        : fmt::format(
                                              "a default before PostgreSQL 11 (the "
                                                  "target is {})",
                                              pg);
        ctx.report(
            s.span, view.op.statement,
            fmt::format("column `{}` is added to `{}` with {}: PostgreSQL rewrites `{}` and its "
                        "indexes under ACCESS EXCLUSIVE; every read and write of `{}` waits for "
                        "the rewrite",
                        def.value("colname", ""), table.display(), why, table.display(),
                        table.display()),
            "add the column without a default, then `SET DEFAULT` (it applies to new rows "
            "only), and fill the existing rows in batches in a later migration (`backfill` in "
            ".mig)");
      }
    }
  }

 private:
  static std::string phased_help(const std::string& table, const std::string& column,
                                 const std::string& type, const std::string& value, bool not_null,
                                 bool constant_would_do) {
    auto help = fmt::format(
        "add the column without a default, then set the default, which applies to new rows "
        "only:\n"
        "    alter table {} {{\n"
        "      add column {} {}\n"
        "      alter column {} set default {}\n"
        "    }}\n"
        "  and fill the existing rows in batches in a later migration:\n"
        "    backfill {} set {} = {} where {} is null batch 10000",
        table, column, type, column, value, table, column, value, column);
    if (not_null) help += "\n  then make it `not null` (see `mig explain set-not-null-scan`)";
    if (constant_would_do)
      help += fmt::format(
          "\n  if a constant will do, `add column {} {} default CONSTANT` only changes the "
          "catalog",
          column, type);
    return help;
  }
};

}  // namespace

std::unique_ptr<Rule> make_VolatileDefault() { return std::make_unique<VolatileDefault>(); }

}  // namespace mig
