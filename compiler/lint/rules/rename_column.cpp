#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class RenameColumnRule final : public Rule {
 public:
  std::string_view id() const override { return "rename-column"; }
  std::string_view summary() const override {
    return "a column rename that breaks the running application";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnRenamed>(s, [&](const ColumnRenamed& e) {
      if (ctx.is_existing(e.table))
        report(ctx, s.what.span, s.what.statement, e.table.display(), e.column, e.new_name);
    });
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& table,
                     const std::string& from, const std::string& to) {
    ctx.report(span, statement,
               fmt::format("renaming `{}.{}` to `{}` breaks the running application: until every "
                           "instance runs the new code, its queries still say `{}` and fail from "
                           "the moment this migration commits",
                           table, from, to, from),
               fmt::format("rename in phases (examples/phased-rename): add `{}`, write both "
                           "columns from the application, fill `{}` with `backfill` in a later "
                           "migration, switch reads to it, and drop `{}` once no running code "
                           "uses it",
                           to, to, from));
  }
};

}  // namespace

std::unique_ptr<Rule> make_RenameColumnRule() { return std::make_unique<RenameColumnRule>(); }

}  // namespace mig
