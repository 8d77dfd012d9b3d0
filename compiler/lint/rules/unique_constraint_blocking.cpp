#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

std::string lock_story(const std::string& what, const std::string& table) {
  return fmt::format(
      "{} builds its unique index while holding ACCESS EXCLUSIVE on `{}`: every "
      "read and write of `{}` waits for the build",
      what, table, table);
}

class UniqueConstraintBlocking final : public Rule {
 public:
  std::string_view id() const override { return "unique-constraint-blocking"; }
  std::string_view summary() const override {
    return "a unique or primary key constraint that builds its index under ACCESS EXCLUSIVE";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* add = dynamic_cast<const AddConstraint*>(&view.op)) {
      const auto& spec = add->constraint;
      const bool key =
          spec.kind == ConstraintKind::Unique || spec.kind == ConstraintKind::PrimaryKey;
      if (!key || spec.using_index || ctx.is_new(add->table.name)) return;
      const auto c = add->resolved();
      const bool primary = c.kind == ConstraintKind::PrimaryKey;
      const auto written = std::string(ctx.text(add->table.span));
      ctx.report(
          add->span, add->statement,
          lock_story(fmt::format("{} `{}`", primary ? "primary key" : "unique constraint", c.name),
                     add->table.name.display()),
          help("build the index first, without blocking writes", written, c.name, c.columns,
               primary));
      return;
    }
    if (const auto* add = dynamic_cast<const AddColumn*>(&view.op)) {
      const auto& c = add->column;
      if (!(c.unique || c.primary_key) || ctx.is_new(add->table.name)) return;
      const auto& t = add->table.name;
      const auto name = c.primary_key ? t.name + "_pkey" : t.name + "_" + c.name.value + "_key";
      ctx.report(c.span, add->statement,
                 lock_story(fmt::format("column `{}` is added with `{}`: the constraint",
                                        c.name.value, c.primary_key ? "primary key" : "unique"),
                            t.display()),
                 help(fmt::format("add the column without `{}`, then build the index without "
                                  "blocking writes",
                                  c.primary_key ? "primary key" : "unique"),
                      std::string(ctx.text(add->table.span)), name,
                      {std::string(ctx.text(c.name.span))}, c.primary_key));
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* c : added_constraints(*node, {"CONSTR_UNIQUE", "CONSTR_PRIMARY"})) {
        const auto type = c->value("contype", "");
        if (c->contains("indexname")) continue;
        ctx.report(
            s.span, view.op.statement,
            lock_story(type == "CONSTR_UNIQUE" ? "ADD UNIQUE" : "ADD PRIMARY KEY", table.display()),
            "build the index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach "
            "it in a later migration with `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE "
            "USING INDEX ...` (or `PRIMARY KEY USING INDEX`), which only changes the "
            "catalog");
      }
    }
  }

 private:
  static std::string help(std::string_view lead, const std::string& table, const std::string& name,
                          const std::vector<std::string>& columns, bool primary) {
    auto out = fmt::format(
        "{}:\n"
        "    create unique index concurrently {} on {} {}\n"
        "  and in a later migration attach it, which only changes the catalog:\n"
        "    alter table {} add {} {} using index {}",
        lead, name, table, column_list(columns), table, primary ? "primary key" : "unique", name,
        name);
    if (primary)
      out +=
          "\n  (make the columns `not null` first: a primary key on nullable columns scans the "
          "table)";
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_UniqueConstraintBlocking() {
  return std::make_unique<UniqueConstraintBlocking>();
}

}  // namespace mig
