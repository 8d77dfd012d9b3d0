#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class DropColumnRule final : public Rule {
 public:
  std::string_view id() const override { return "drop-column"; }
  std::string_view summary() const override {
    return "a column drop that breaks the running application";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnDropped>(s, [&](const ColumnDropped& e) {
      if (ctx.is_existing(e.table))
        report(ctx, s.what.span, s.what.statement, e.table.display(), e.column);
    });
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& table,
                     const std::string& column) {
    ctx.report(span, statement,
               fmt::format("dropping `{}.{}` breaks every running instance that still reads or "
                           "writes it (an ORM that lists columns fails on any query of `{}`), "
                           "and its data is gone: the downgrade brings the column back empty",
                           table, column, table),
               fmt::format("drop it in phases (examples/phased-rename): first deploy code that no "
                           "longer uses `{}`, then drop it in a later migration; say so with "
                           "`@allow(drop-column, \"no code uses {} since ...\")`",
                           column, column));
  }
};

}  // namespace

std::unique_ptr<Rule> make_DropColumnRule() { return std::make_unique<DropColumnRule>(); }

}  // namespace mig
