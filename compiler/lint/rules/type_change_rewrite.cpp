#include "compiler/lint/lint_support.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

namespace {

constexpr const char* kPhased =
    "change it in phases (see examples/phased-rename): add a column of the new type, write "
    "both from the application, fill the new one with `backfill` in a later migration, switch "
    "reads, then drop the old column";

class TypeChangeRewrite final : public Rule {
 public:
  std::string_view id() const override { return "type-change-rewrite"; }
  std::string_view summary() const override {
    return "a column type change that rewrites an existing table";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* change = dynamic_cast<const AlterColumnType*>(&view.op)) {
      if (ctx.is_new(change->table.name) || !view.steps.front().lock.rewrites_table) return;
      const auto& t = change->table.name;
      const auto& old_type = view.before.find_table(t)->find_column(change->column.value)->type;
      ctx.report(
          change->span, change->statement,
          fmt::format("changing `{}.{}` from `{}` to `{}`{} rewrites `{}` and rebuilds its "
                      "indexes under ACCESS EXCLUSIVE: every read and write of `{}` waits for "
                      "the rewrite",
                      t.display(), change->column.value, old_type, change->type.text,
                      change->using_expr ? " with `using`" : "", t.display(), t.display()),
          fmt::format("{}:\n"
                      "    alter table {} add column {}_new {}\n"
                      "  (changes PostgreSQL makes in place, such as raising a `varchar` limit or "
                      "`varchar` to `text`, need none of this)",
                      kPhased, ctx.text(change->table.span), change->column.value,
                      change->type.text));
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* cmd : alter_commands(*node)) {
        if (cmd->value("subtype", "") != "AT_AlterColumnType") continue;
        const auto column = cmd->value("name", "");
        const auto& def = (*cmd)["def"].value("ColumnDef", nlohmann::json::object());
        const auto [base, modifiers] = type_shape(def);
        const bool using_expr = def.contains("raw_default");
        // The old type is known when the table is in the model; otherwise only a change to
        // an unlimited `text` or `varchar` may be in place.
        const auto* known = view.before.find_table(table);
        const auto* old_column = known ? known->find_column(column) : nullptr;
        bool rewrites = true;
        if (old_column && !using_expr)
          rewrites = type_change_rewrites(old_column->type, raw_type_text(base, def));
        else if (!using_expr)
          rewrites = !((base == "text" || base == "varchar") && modifiers == 0);
        if (!rewrites) continue;
        ctx.report(s.span, view.op.statement,
                   fmt::format("changing the type of `{}.{}` {}rewrites `{}` and rebuilds its "
                               "indexes under ACCESS EXCLUSIVE: every read and write of `{}` "
                               "waits for the rewrite",
                               table.display(), column, old_column || using_expr ? "" : "likely ",
                               table.display(), table.display()),
                   std::string(kPhased));
      }
    }
  }

 private:
  // The type of a ColumnDef as SQL text, for comparing with the model's type.
  static std::string raw_type_text(const std::string& base, const nlohmann::json& def) {
    std::vector<std::string> modifiers;
    const auto* type_name = def.contains("typeName") ? &def["typeName"] : nullptr;
    if (type_name)
      for (const auto& m : type_name->value("typmods", nlohmann::json::array())) {
        const auto& ival =
            m.value("A_Const", nlohmann::json::object()).value("ival", nlohmann::json::object());
        modifiers.push_back(std::to_string(ival.value("ival", 0)));
      }
    auto text = modifiers.empty() ? base : fmt::format("{}({})", base, join(modifiers, ", "));
    if (type_name && type_name->contains("arrayBounds"))
      for (std::size_t i = 0; i < (*type_name)["arrayBounds"].size(); ++i) text += "[]";
    return text;
  }
};

}  // namespace

std::unique_ptr<Rule> make_TypeChangeRewrite() { return std::make_unique<TypeChangeRewrite>(); }

}  // namespace mig
