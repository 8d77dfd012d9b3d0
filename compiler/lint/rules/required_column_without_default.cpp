#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class RequiredColumnWithoutDefault final : public Rule {
 public:
  std::string_view id() const override { return "required-column-without-default"; }
  std::string_view summary() const override {
    return "a `not null` column without a default added to an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnAdded>(s, [&](const ColumnAdded& e) {
      if (!e.not_null || e.has_default || ctx.is_new(e.table)) return;
      report(ctx, span_of_name(ctx, s, e.column), s.what.statement, e.column, e.table.display(),
             s.what.form == Form::Mig
                 ? fmt::format("give it a default; on PostgreSQL 11+ a constant default only "
                               "changes the catalog:\n"
                               "    alter table {} add column {} {} not null default VALUE\n"
                               "  or add it nullable, fill it with `backfill` in a later "
                               "migration, then make it `not null` (see `mig explain "
                               "set-not-null-scan`)",
                               written(e.table), written(e.column), e.type)
                 : "give it a default (`ADD COLUMN ... NOT NULL DEFAULT value`; on PostgreSQL 11+ "
                   "a constant default only changes the catalog), or add it nullable, backfill "
                   "it, then set it NOT NULL");
    });
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
