#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// "scans every row of `t` under ACCESS EXCLUSIVE, ..." for a check or a foreign key.
std::string lock_story(const std::string& table, const std::optional<std::string>& referenced) {
  if (!referenced)
    return fmt::format(
        "PostgreSQL checks every row of `{}` while it holds ACCESS EXCLUSIVE: "
        "every read and write of `{}` waits for the scan",
        table, table);
  if (*referenced == table)
    return fmt::format(
        "PostgreSQL checks every row of `{}` while it holds SHARE ROW EXCLUSIVE "
        "on it: every write to `{}` waits for the scan",
        table, table);
  return fmt::format(
      "PostgreSQL checks every row of `{}` while it holds SHARE ROW EXCLUSIVE on "
      "`{}` and `{}`: every write to either table waits for the scan",
      table, table, *referenced);
}

constexpr const char* kWhy =
    "`not valid` enforces the constraint for new and updated rows at once and skips the scan; "
    "`validate constraint` in a later migration checks the existing rows under SHARE UPDATE "
    "EXCLUSIVE, which lets reads and writes go on";

class ConstraintWithoutNotValid final : public Rule {
 public:
  std::string_view id() const override { return "constraint-without-not-valid"; }
  std::string_view summary() const override {
    return "a check or foreign key added to an existing table without `not valid`";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* add = dynamic_cast<const AddConstraint*>(&view.op)) {
      const auto& spec = add->constraint;
      if (spec.not_valid || ctx.is_new(add->table.name) ||
          (spec.kind != ConstraintKind::Check && spec.kind != ConstraintKind::ForeignKey))
        return;
      const auto c = add->resolved();
      const auto table = add->table.name.display();
      const auto written = std::string(ctx.text(add->table.span));
      std::optional<std::string> referenced;
      if (c.references) referenced = c.references->table.display();
      Fix fix =
          Fix::edit({add->span.end, add->span.end}, " not valid",
                    fmt::format("added `not valid`; the new migration validates `{}`", c.name));
      fix.new_file = "validate_" + c.name;
      fix.new_file_text = fmt::format(
          "# Checks the existing rows against `{}`, added `not valid` by {}, without blocking "
          "writes.\nalter table {} validate constraint {}\n",
          c.name, ctx.migration.source->path(), written, c.name);
      ctx.report(add->span, add->statement,
                 fmt::format("{} `{}` is added to `{}` without `not valid`: {}",
                             c.kind == ConstraintKind::Check ? "check" : "foreign key", c.name,
                             table, lock_story(table, referenced)),
                 fmt::format("{}:\n"
                             "    alter table {} {} not valid\n"
                             "  and in a later migration:\n"
                             "    alter table {} validate constraint {}\n"
                             "  (`mig lint --fix` writes both)",
                             kWhy, written, action_text(ctx, *add, add->table), written, c.name),
                 fix);
      return;
    }
    if (const auto* add = dynamic_cast<const AddColumn*>(&view.op)) {
      const auto& c = add->column;
      if (ctx.is_new(add->table.name) || !(c.check || c.references)) return;
      const auto table = add->table.name.display();
      std::optional<std::string> referenced;
      if (c.references) referenced = c.references->table.name.display();
      ctx.report(
          c.check ? c.check->span : c.references->span, add->statement,
          fmt::format("column `{}` is added to `{}` with an inline {}: PostgreSQL checks every "
                      "row of `{}` while it holds ACCESS EXCLUSIVE on it{}: every read and write "
                      "of `{}` waits for the scan",
                      c.name.value, table, c.check ? "check" : "foreign key", table,
                      referenced && *referenced != table
                          ? fmt::format(" and SHARE ROW EXCLUSIVE on `{}`", *referenced)
                          : "",
                      table),
          fmt::format("add the column without it, then add the constraint `not valid` and "
                      "validate it in a later migration:\n"
                      "    alter table {} {} not valid\n"
                      "    alter table {} validate constraint NAME   # in a later migration",
                      ctx.text(add->table.span),
                      c.check ? fmt::format("add check NAME ({})", c.check->text)
                              : fmt::format("add foreign key NAME ({}) {}", ctx.text(c.name.span),
                                            ctx.text(c.references->span)),
                      ctx.text(add->table.span)));
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* c : added_constraints(*node, {"CONSTR_CHECK", "CONSTR_FOREIGN"})) {
        const auto type = c->value("contype", "");
        if (c->value("skip_validation", false)) continue;
        std::optional<std::string> referenced;
        if (type == "CONSTR_FOREIGN") referenced = relation_of((*c)["pktable"]).display();
        const auto name = c->value("conname", "");
        ctx.report(s.span, view.op.statement,
                   fmt::format("{}{} is added to `{}` without NOT VALID: {}",
                               type == "CONSTR_CHECK" ? "check constraint" : "foreign key",
                               name.empty() ? "" : fmt::format(" `{}`", name), table.display(),
                               lock_story(table.display(), referenced)),
                   fmt::format("{}: `ALTER TABLE ... ADD CONSTRAINT ... NOT VALID`, then `ALTER "
                               "TABLE ... VALIDATE CONSTRAINT ...` in a later migration",
                               kWhy));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ConstraintWithoutNotValid() {
  return std::make_unique<ConstraintWithoutNotValid>();
}

}  // namespace mig
