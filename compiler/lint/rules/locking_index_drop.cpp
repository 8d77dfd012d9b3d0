#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class LockingIndexDrop final : public Rule {
 public:
  std::string_view id() const override { return "locking-index-drop"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "an index drop that takes ACCESS EXCLUSIVE on an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    std::vector<std::string> names, written_names;
    std::string on = "its table";
    each<IndexDropped>(s, [&](const IndexDropped& e) {
      const auto table = table_of_dropped(ctx, s, e);
      if (e.concurrently || (table && (ctx.is_new(*table) || changes_column_type(s, *table))))
        return;
      names.push_back(fmt::format("`{}`", e.index));
      written_names.push_back(written(e.index));
      if (table) on = fmt::format("`{}`", table->display());
    });
    if (names.empty()) return;
    const bool mig = s.what.form == Form::Mig;
    const bool in_transaction_block = s.what.form == Form::PlainSql && ctx.transaction_of(s);
    const auto at = after_keyword(ctx.migration.source->text(), s.what.span, "index");
    std::optional<Fix> fix;
    if (at && names.size() == 1 && !in_transaction_block)
      fix = Fix::edit({*at, *at}, mig ? " concurrently" : " CONCURRENTLY",
                      mig ? "added `concurrently`" : "added `CONCURRENTLY`");
    ctx.report(
        s.what.span, s.what.statement,
        fmt::format("dropping index {} takes ACCESS EXCLUSIVE on {}: every read and write of the "
                    "table waits for the drop, and the drop waits for every running query",
                    join(names, ", "), on),
        mig ? fmt::format("write `drop index concurrently {}`: it waits for running queries "
                          "without blocking new ones, and mig runs it alone, outside a transaction",
                          join(written_names, ", "))
        : in_transaction_block
            ? "write `DROP INDEX CONCURRENTLY` (one index per statement), in a file whose first "
              "line is `-- mig:no-transaction`: it cannot run inside a transaction"
            : "write `DROP INDEX CONCURRENTLY` (one index per statement): it waits for running "
              "queries without blocking new ones",
        fix);
  }
};

}  // namespace

std::unique_ptr<Rule> make_LockingIndexDrop() { return std::make_unique<LockingIndexDrop>(); }

}  // namespace mig
