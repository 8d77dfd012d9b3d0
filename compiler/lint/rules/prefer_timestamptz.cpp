#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class PreferTimestamptz final : public Rule {
 public:
  std::string_view id() const override { return "prefer-timestamptz"; }
  std::string_view summary() const override { return "`timestamp` without time zone"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (t.base == "timestamp")
        ctx.report(span_of_name(ctx, s, t.column), s.what.statement,
                   fmt::format("column `{}` of `{}` is a `timestamp` without time zone", t.column,
                               t.table.display()),
                   "use `timestamptz`: it stores an instant, so values do not change meaning "
                   "with the session's time zone");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_PreferTimestamptz() { return std::make_unique<PreferTimestamptz>(); }

}  // namespace mig
