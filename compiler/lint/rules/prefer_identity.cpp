#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class PreferIdentity final : public Rule {
 public:
  std::string_view id() const override { return "prefer-identity"; }
  std::string_view summary() const override { return "a `serial` column"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (!t.serial) return;
      ctx.report(
          span_of_name(ctx, s, t.column), s.what.statement,
          fmt::format(
              "column `{}` of `{}` is `{}`: a serial column is an integer with a default from a "
              "separately owned sequence, whose grants, ownership and dumps drift from the table",
              t.column, t.table.display(), t.base),
          "use an identity column: `bigint generated always as identity` (or `by default`), the "
          "SQL-standard form, whose sequence belongs to the column");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_PreferIdentity() { return std::make_unique<PreferIdentity>(); }

}  // namespace mig
