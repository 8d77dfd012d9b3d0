#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class PreferJsonb final : public Rule {
 public:
  std::string_view id() const override { return "prefer-jsonb"; }
  std::string_view summary() const override { return "`json` instead of `jsonb`"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (!(t.base == "json")) return;
      ctx.report(
          span_of_name(ctx, s, t.column), s.what.statement,
          fmt::format("column `{}` of `{}` is `json`: it stores the text as written and re-parses "
                      "it on every access, has no equality operator (so no `distinct`, `group by` "
                      "or unique index) and no GIN indexing",
                      t.column, t.table.display()),
          "use `jsonb`, unless you must keep key order, duplicate keys or the exact formatting");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_PreferJsonb() { return std::make_unique<PreferJsonb>(); }

}  // namespace mig
