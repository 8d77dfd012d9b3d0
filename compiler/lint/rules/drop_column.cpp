#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class DropColumnRule final : public Rule {
 public:
  std::string_view id() const override { return "drop-column"; }
  std::string_view summary() const override {
    return "a column drop that breaks the running application";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* op = dynamic_cast<const DropColumn*>(&view.op)) {
      if (ctx.is_new(op->table.name)) return;
      report(ctx, op->span, op->statement, op->table.name.display(), op->column.value);
      return;
    }
    for (const auto& [s, node, table] : raw_alters_of_existing(ctx, view.op)) {
      for (const auto* cmd : alter_commands(*node))
        if (cmd->value("subtype", "") == "AT_DropColumn")
          report(ctx, s.span, view.op.statement, table.display(), cmd->value("name", ""));
    }
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
