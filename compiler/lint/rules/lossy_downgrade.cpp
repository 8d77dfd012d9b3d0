#include "compiler/effects/lock_facts.hpp"
#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class LossyDowngrade final : public Rule {
 public:
  std::string_view id() const override { return "lossy-downgrade"; }
  std::string_view summary() const override {
    return "a migration whose downgrade does not restore data";
  }
  Severity severity() const override { return Severity::Note; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    if (s.reversal.reversibility != Reversibility::Lossy) return;
    for (const auto& e : s.what.effects)
      if (const auto* table = table_of(e); table && ctx.is_new(*table)) return;
    ctx.report(
        s.what.span, s.what.statement,
        fmt::format("the downgrade of this migration does not restore data: {}", s.reversal.note),
        "fine when the data can be lost or rebuilt; otherwise keep a backup before "
        "`mig up`, since `mig down` cannot bring it back");
  }
};

}  // namespace

std::unique_ptr<Rule> make_LossyDowngrade() { return std::make_unique<LossyDowngrade>(); }

}  // namespace mig
