#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class SetNotNullScan final : public Rule {
 public:
  std::string_view id() const override { return "set-not-null-scan"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "`set not null` that scans an existing table under ACCESS EXCLUSIVE";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<NotNullSet>(s, [&](const NotNullSet& e) {
      if (ctx.is_existing(e.table) && set_not_null_scans(ctx, s, e)) report(ctx, s, e);
    });
  }

 private:
  static void report(const LintContext& ctx, const PlannedStatement& s, const NotNullSet& e) {
    const auto check = fmt::format("{}_{}_not_null", e.table.name, e.column);
    const auto table = written(e.table);
    const auto column = written(e.column);
    const bool mig = s.what.form == Form::Mig;
    std::string help;
    if (ctx.settings.pg_version < 12)
      help = "before PostgreSQL 12 there is no way around the scan: run it when traffic is low";
    else if (mig)
      help = fmt::format(
          "prove the column has no NULL first; PostgreSQL {} then skips the scan:\n"
          "    alter table {} add check {} ({} is not null) not valid\n"
          "  and in a later migration:\n"
          "    alter table {} {{\n"
          "      validate constraint {}\n"
          "      alter column {} set not null\n"
          "      drop constraint {}\n"
          "    }}\n"
          "  (`mig lint --fix` writes this)",
          ctx.settings.pg_version, table, check, column, table, check, column, check);
    else
      help = fmt::format(
          "prove the column has no NULL first; PostgreSQL {} then skips the scan:\n"
          "    ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID;\n"
          "  and in a later migration:\n"
          "    ALTER TABLE {} VALIDATE CONSTRAINT {};\n"
          "    ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;\n"
          "    ALTER TABLE {} DROP CONSTRAINT {};",
          ctx.settings.pg_version, table, check, column, table, check, table, column, table, check);
    std::optional<Fix> fix;
    if (ctx.settings.pg_version >= 12 && mig)
      fix =
          Fix{s.what.span, fmt::format("add check {} ({} is not null) not valid", check, column),
              "replaced `set not null` with a `not valid` check",
              "set_" + e.table.name + "_" + e.column + "_not_null",
              fmt::format("# Completes the not-null change of {}: the check is validated without "
                          "blocking\n"
                          "# writes, and then proves the column, so `set not null` does not scan.\n"
                          "alter table {} {{\n"
                          "  validate constraint {}\n"
                          "  alter column {} set not null\n"
                          "  drop constraint {}\n"
                          "}}\n",
                          ctx.migration.source->path(), table, check, column, check)};
    ctx.report(s.what.span, s.what.statement,
               fmt::format("`set not null` on `{}.{}` scans the whole table under ACCESS "
                           "EXCLUSIVE: every read and write of `{}` waits for it",
                           e.table.display(), e.column, e.table.display()),
               help, fix);
  }
};

}  // namespace

std::unique_ptr<Rule> make_SetNotNullScan() { return std::make_unique<SetNotNullScan>(); }

}  // namespace mig
