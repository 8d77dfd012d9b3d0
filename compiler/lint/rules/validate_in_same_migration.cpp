#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class ValidateInSameMigration final : public Rule {
 public:
  std::string_view id() const override { return "validate-in-same-migration"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "`validate constraint` in the same migration as its `not valid` add";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ConstraintValidated>(s, [&](const ConstraintValidated& e) {
      if (ctx.is_new(e.table)) return;
      const auto* added = added_not_valid(ctx, s, e);
      if (!added) return;
      const auto table = e.table.display();
      const auto here = ctx.transaction_of(s);
      const bool same_transaction = here && ctx.transaction_of(*added) == here;
      ctx.report(
          s.what.span, s.what.statement,
          same_transaction
              ? fmt::format("constraint `{}` is validated in the same transaction that adds it "
                            "`not valid`: the lock the add took on `{}` is held through the scan "
                            "of every row, so the `not valid` saves nothing",
                            e.name, table)
              : fmt::format("constraint `{}` is validated in the migration that adds it `not "
                            "valid`: the deploy waits for the scan of every row of `{}`, and a "
                            "row that fails the check fails this migration after its schema "
                            "change is committed",
                            e.name, table),
          s.what.form == Form::Mig
              ? fmt::format("move the validation to a later migration, deployed once the "
                            "application writes only valid rows:\n"
                            "    alter table {} validate constraint {}",
                            written(e.table), written(e.name))
              : "move `VALIDATE CONSTRAINT` to a later migration: it then scans under SHARE "
                "UPDATE EXCLUSIVE, which lets reads and writes go on");
    });
  }

 private:
  // The statement earlier in the migration that added the constraint `not valid`.
  static const PlannedStatement* added_not_valid(const LintContext& ctx,
                                                 const PlannedStatement& validate,
                                                 const ConstraintValidated& e) {
    const PlannedStatement* found = nullptr;
    for (const auto& s : ctx.migration.statements) {
      if (&s == &validate) break;
      each<ConstraintAdded>(s, [&](const ConstraintAdded& a) {
        if (!a.validated && a.table == e.table && a.name == e.name) found = &s;
      });
    }
    return found;
  }
};

}  // namespace

std::unique_ptr<Rule> make_ValidateInSameMigration() {
  return std::make_unique<ValidateInSameMigration>();
}

}  // namespace mig
