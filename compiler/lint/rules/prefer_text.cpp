#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class PreferText final : public Rule {
 public:
  std::string_view id() const override { return "prefer-text"; }
  std::string_view summary() const override { return "`varchar(n)`"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (!(t.base == "varchar" && t.modifiers > 0)) return;
      ctx.report(span_of_name(ctx, s, t.column), s.what.statement,
                 fmt::format("column `{}` of `{}` is a `varchar` with a length limit: raising the "
                             "limit later is cheap, but lowering it rewrites the table, and the "
                             "limit is a business rule hidden in the type",
                             t.column, t.table.display()),
                 "use `text`, and put the limit in a named check you can change with `not valid` "
                 "and `validate`: `check NAME (char_length(COLUMN) <= N)`");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_PreferText() { return std::make_unique<PreferText>(); }

}  // namespace mig
