#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

ObjectName table_of(const Operation& op) {
  if (const auto* o = dynamic_cast<const DropColumn*>(&op)) return o->table.name;
  if (const auto* o = dynamic_cast<const DropTable*>(&op)) return o->table.name;
  if (const auto* o = dynamic_cast<const AlterColumnType*>(&op)) return o->table.name;
  if (const auto* o = dynamic_cast<const Backfill*>(&op)) return o->table.name;
  return {};
}

class LossyDowngrade final : public Rule {
 public:
  std::string_view id() const override { return "lossy-downgrade"; }
  std::string_view summary() const override {
    return "a migration whose downgrade does not restore data";
  }
  Severity severity() const override { return Severity::Note; }

  void check(const LintContext& ctx, const OperationView& view) const override {
    const auto reversal = view.op.reversal(view.before);
    if (reversal.reversibility != Reversibility::Lossy || ctx.is_new(table_of(view.op))) return;
    ctx.report(
        view.op.span, view.op.statement,
        fmt::format("the downgrade of this migration does not restore data: {}", reversal.note),
        "fine when the data can be lost or rebuilt; otherwise keep a backup before "
        "`mig up`, since `mig down` cannot bring it back");
  }
};

}  // namespace

std::unique_ptr<Rule> make_LossyDowngrade() { return std::make_unique<LossyDowngrade>(); }

}  // namespace mig
