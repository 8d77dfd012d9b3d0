#include "compiler/lint/lint_support.hpp"
#include "compiler/sql/volatility.hpp"

namespace mig {

namespace {

class VolatileDefault final : public Rule {
 public:
  std::string_view id() const override { return "volatile-default"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "a column added with a default that rewrites an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    const int pg = ctx.settings.pg_version;
    each<ColumnAdded>(s, [&](const ColumnAdded& e) {
      if (ctx.is_new(e.table)) return;
      const bool sequence = e.identity;
      const bool rewrites =
          e.volatile_default || e.identity || e.stored_generated || (e.has_default && pg < 11);
      if (!rewrites) return;
      const auto table = e.table.display();
      const auto why = e.stored_generated ? std::string("a stored generated value")
                       : sequence         ? std::string("a value from a sequence")
                       : e.volatile_default
                           ? std::string("a volatile default")
                           : fmt::format("a default before PostgreSQL 11 (the target is {})", pg);
      ctx.report(
          span_of_name(ctx, s, e.column), s.what.statement,
          fmt::format("column `{}` is added to `{}` with {}: PostgreSQL computes it for "
                      "every row, rewriting `{}` and its indexes under ACCESS EXCLUSIVE; "
                      "every read and write of `{}` waits for the rewrite",
                      e.column, table, why, table, table),
          e.stored_generated
              ? std::string(
                    "PostgreSQL cannot add a stored generated column without computing it "
                    "for every row: on a table in use, add a plain column kept up to date by "
                    "a trigger and `backfill` it in batches, or accept the rewrite in a "
                    "maintenance window")
              : help(s.what.form, written(e.table), written(e.column), e.type, e.not_null,
                     sequence));
    });
  }

 private:
  static std::string help(Form form, const std::string& table, const std::string& column,
                          const std::string& type, bool not_null, bool sequence) {
    if (form != Form::Mig)
      return "add the column without a default, then `SET DEFAULT` (it applies to new rows "
             "only), and fill the existing rows in batches in a later migration (`backfill` in "
             ".mig)";
    if (sequence)
      return "add a plain nullable `bigint` column, give it a sequence default with "
             "`alter column ... set default nextval('SEQUENCE')` (it applies to new rows "
             "only), and fill the existing rows with `backfill` in a later migration";
    auto out = fmt::format(
        "add the column without a default, then set the default, which applies to new rows "
        "only:\n"
        "    alter table {} {{\n"
        "      add column {} {}\n"
        "      alter column {} set default VALUE\n"
        "    }}\n"
        "  and fill the existing rows in batches in a later migration:\n"
        "    backfill {} set {} = VALUE where {} is null batch 10000",
        table, column, type, column, table, column, column);
    if (not_null) out += "\n  then make it `not null` (see `mig explain set-not-null-scan`)";
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_VolatileDefault() { return std::make_unique<VolatileDefault>(); }

}  // namespace mig
