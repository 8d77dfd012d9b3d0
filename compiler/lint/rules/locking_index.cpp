#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class LockingIndex final : public Rule {
 public:
  std::string_view id() const override { return "locking-index"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "an index build that blocks writes to an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<Reindexed>(s, [&](const Reindexed& e) {
      if (e.concurrently || (e.table && ctx.is_new(*e.table))) return;
      ctx.report(
          s.what.span, s.what.statement,
          fmt::format("REINDEX {} blocks writes to {} while it rebuilds (SHARE lock), and "
                      "queries that would use the index wait too",
                      e.what, e.table ? fmt::format("`{}`", e.table->display()) : "its tables"),
          "write `REINDEX ... CONCURRENTLY` (PostgreSQL 12+): it builds the new index "
          "beside the old one without blocking writes, outside a transaction");
    });
    each<IndexBuilt>(s, [&](const IndexBuilt& e) {
      if (e.concurrently || ctx.is_new(e.table) || changes_column_type(s, e.table)) return;
      const bool mig = s.what.form == Form::Mig;
      // In a transaction block CONCURRENTLY would fail: no fix there.
      const bool can_fix = mig || !ctx.transaction_of(s) || s.what.form == Form::SqlBlock;
      const auto at = after_keyword(ctx.migration.source->text(), s.what.span, "index");
      std::optional<Fix> fix;
      if (at && can_fix)
        fix = Fix::edit({*at, *at}, mig ? " concurrently" : " CONCURRENTLY",
                        mig ? "added `concurrently`" : "added `CONCURRENTLY`");
      ctx.report(
          s.what.span, s.what.statement,
          fmt::format("building index {}blocks writes to `{}` until it is finished (SHARE lock)",
                      e.index.empty() ? "" : fmt::format("`{}` ", e.index), e.table.display()),
          mig ? "write `create index concurrently ...`: it takes SHARE UPDATE EXCLUSIVE, so reads "
                "and writes go on during the build, and mig runs it alone, outside a transaction"
          : can_fix
              ? "write `CREATE INDEX CONCURRENTLY`: it takes SHARE UPDATE EXCLUSIVE, so reads and "
                "writes go on during the build"
              : "write `CREATE INDEX CONCURRENTLY`, in a file whose first line is "
                "`-- mig:no-transaction` (it cannot run inside a transaction block): it takes "
                "SHARE UPDATE EXCLUSIVE, so reads and writes go on during the build",
          fix);
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_LockingIndex() { return std::make_unique<LockingIndex>(); }

}  // namespace mig
