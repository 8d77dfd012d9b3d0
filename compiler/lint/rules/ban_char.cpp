#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class BanChar final : public Rule {
 public:
  std::string_view id() const override { return "ban-char"; }
  std::string_view summary() const override { return "`char(n)`"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (!(t.base == "bpchar")) return;
      ctx.report(span_of_name(ctx, s, t.column), s.what.statement,
                 fmt::format("column `{}` of `{}` is a `char(n)`: values are padded with spaces to "
                             "the length, the padding is ignored in some comparisons and not "
                             "others, and it is no faster than `text`",
                             t.column, t.table.display()),
                 "use `text` (with a check on the length if it matters)");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_BanChar() { return std::make_unique<BanChar>(); }

}  // namespace mig
