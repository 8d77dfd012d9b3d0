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
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "a unique or primary key constraint that builds its index under ACCESS EXCLUSIVE";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<TableAltered>(s, [&](const TableAltered& e) {
      if (e.action != "ADD EXCLUDE CONSTRAINT" || ctx.is_new(e.table)) return;
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("the exclusion constraint builds its index while holding ACCESS "
                             "EXCLUSIVE on `{}`: every read and write of `{}` waits for the build",
                             e.table.display(), e.table.display()),
                 "PostgreSQL has no concurrent way to add an exclusion constraint: add it when "
                 "the table is small or traffic is low, or enforce the rule with a unique index "
                 "built `CONCURRENTLY` when equality is what it needs");
    });
    std::vector<std::string> added_columns;
    each<ColumnAdded>(s, [&](const ColumnAdded& e) { added_columns.push_back(e.column); });
    each<ConstraintAdded>(s, [&](const ConstraintAdded& e) {
      const bool primary = e.kind == ConstraintKind::PrimaryKey;
      if (!(primary || e.kind == ConstraintKind::Unique) || e.using_index || ctx.is_new(e.table))
        return;
      const bool on_new_column =
          e.columns.size() == 1 && std::find(added_columns.begin(), added_columns.end(),
                                             e.columns.front()) != added_columns.end();
      const auto kind = primary ? "primary key" : "unique";
      const auto name = !e.name.empty() ? e.name
                        : primary       ? e.table.name + "_pkey"
                                  : fmt::format("{}_{}_key", e.table.name, join(e.columns, "_"));
      std::vector<std::string> columns;
      for (const auto& c : e.columns) columns.push_back(written(c));
      if (s.what.form != Form::Mig) {
        ctx.report(s.what.span, s.what.statement,
                   lock_story(primary ? "ADD PRIMARY KEY" : "ADD UNIQUE", e.table.display()),
                   "build the index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then attach "
                   "it in a later migration with `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE "
                   "USING INDEX ...` (or `PRIMARY KEY USING INDEX`), which only changes the "
                   "catalog");
      } else if (on_new_column) {
        ctx.report(span_of_name(ctx, s, e.columns.front()), s.what.statement,
                   lock_story(fmt::format("column `{}` is added with `{}`: the constraint",
                                          e.columns.front(), kind),
                              e.table.display()),
                   help(fmt::format("add the column without `{}`, then build the index without "
                                    "blocking writes",
                                    kind),
                        written(e.table), name, columns, primary));
      } else {
        ctx.report(
            s.what.span, s.what.statement,
            lock_story(fmt::format("{} `{}`", primary ? "primary key" : "unique constraint", name),
                       e.table.display()),
            help("build the index first, without blocking writes", written(e.table), name, columns,
                 primary));
      }
    });
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
