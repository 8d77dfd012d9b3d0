#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class RenameTableRule final : public Rule {
 public:
  std::string_view id() const override { return "rename-table"; }
  std::string_view summary() const override {
    return "a table rename that breaks the running application";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<TableRenamed>(s, [&](const TableRenamed& e) {
      if (ctx.is_existing(e.table))
        report(ctx, s.what.span, s.what.statement, e.table.display(), e.new_name);
    });
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& table,
                     const std::string& to) {
    ctx.report(span, statement,
               fmt::format("renaming `{}` to `{}` breaks the running application: until every "
                           "instance runs the new code, its queries still name `{}` and fail "
                           "from the moment this migration commits",
                           table, to, table),
               fmt::format("move in phases (examples/phased-rename shows the pattern for a "
                           "column): create `{}`, write to both tables from the application, copy "
                           "the rows with `backfill` or raw SQL in a later migration, switch "
                           "reads, and drop `{}` once no running code uses it",
                           to, table));
  }
};

}  // namespace

std::unique_ptr<Rule> make_RenameTableRule() { return std::make_unique<RenameTableRule>(); }

}  // namespace mig
