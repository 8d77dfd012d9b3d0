#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class RefreshBlocksReads final : public Rule {
 public:
  std::string_view id() const override { return "refresh-blocks-reads"; }
  std::string_view summary() const override {
    return "a refresh of a materialized view that blocks its readers while its query runs";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<MaterializedViewRefreshed>(s, [&](const MaterializedViewRefreshed& e) {
      if (e.concurrently || ctx.is_new(e.view)) return;
      const bool mig = s.what.form == Form::Mig;
      if (e.no_data) {
        ctx.report(s.what.span, s.what.statement,
                   fmt::format("refreshing materialized view `{}` with no data empties it: every "
                               "read of it fails (\"has not been populated\") until it is "
                               "refreshed again",
                               e.view.display()),
                   "refresh it with its data instead, or empty it only when nothing reads it");
        return;
      }
      std::optional<Fix> fix;
      if (e.has_refresh_key)
        if (const auto at = after_keyword(ctx.migration.source->text(), s.what.span, "view"))
          fix = Fix::edit({*at, *at}, mig ? " concurrently" : " CONCURRENTLY",
                          mig ? "added `concurrently`" : "added `CONCURRENTLY`");
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("refreshing materialized view `{}` takes ACCESS EXCLUSIVE on it: "
                             "every read of it waits until its query has run again",
                             e.view.display()),
                 e.has_refresh_key
                     ? fmt::format("write `{}`: it takes EXCLUSIVE, which reads do not wait for, "
                                   "and it may run inside the migration's transaction",
                                   mig ? "refresh materialized view concurrently"
                                       : "REFRESH MATERIALIZED VIEW CONCURRENTLY")
                     : fmt::format("refresh it concurrently, which reads do not wait for; that "
                                   "needs a unique index on plain columns of `{}` without "
                                   "`where`, and mig knows of none: create one first",
                                   e.view.display()),
                 fix);
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_RefreshBlocksReads() { return std::make_unique<RefreshBlocksReads>(); }

}  // namespace mig
