#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class DropTableRule final : public Rule {
 public:
  std::string_view id() const override { return "drop-table"; }
  std::string_view summary() const override {
    return "a table drop that breaks the running application and loses its rows";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<DatabaseDropped>(s, [&](const DatabaseDropped& e) {
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("dropping database `{}` drops every table in it, with all their "
                             "rows, and breaks every application connected to it",
                             e.database),
                 "drop databases by hand, never from a migration; say why it is fine with "
                 "`-- mig:allow drop-table ...` if it truly belongs here");
    });
    each<TableDropped>(s, [&](const TableDropped& e) {
      if (ctx.is_existing(e.table)) report(ctx, s.what.span, s.what.statement, e.table.display());
    });
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& table) {
    ctx.report(span, statement,
               fmt::format("dropping `{}` breaks every running instance that still uses it, and "
                           "its rows are gone: the downgrade re-creates the table empty",
                           table),
               "first deploy code that no longer uses the table (and keep a backup of its rows "
               "if they may be needed), then drop it in a later migration; say so with "
               "`@allow(drop-table, \"no code uses it since ...\")`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_DropTableRule() { return std::make_unique<DropTableRule>(); }

}  // namespace mig
