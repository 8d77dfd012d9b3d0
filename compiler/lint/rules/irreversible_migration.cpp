#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class IrreversibleMigration final : public Rule {
 public:
  std::string_view id() const override { return "irreversible-migration"; }
  std::string_view summary() const override { return "a `sql { }` block without `down { }`"; }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    // Reported once, at the block's first statement.
    if (s.what.form != Form::SqlBlock || s.reversal.reversibility != Reversibility::Irreversible ||
        (&s != &ctx.migration.statements.front() && (&s - 1)->what.statement == s.what.statement))
      return;
    ctx.report(s.what.span, s.what.statement,
               "this `sql` block has no `down { }`: the migration is irreversible, and `mig "
               "down` stops before it",
               "add `down { ... }` with the SQL that undoes it (`sql { ... } down { ... }`); if "
               "it truly cannot be undone, say why with `@allow(irreversible-migration, "
               "\"...\")`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_IrreversibleMigration() {
  return std::make_unique<IrreversibleMigration>();
}

}  // namespace mig
