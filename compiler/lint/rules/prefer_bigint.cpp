#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class PreferBigint final : public Rule {
 public:
  std::string_view id() const override { return "prefer-bigint"; }
  std::string_view summary() const override {
    return "an `int` or `smallint` primary or foreign key column";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTyped>(s, [&](const ColumnTyped& t) {
      if (!(t.key && (t.base == "int4" || t.base == "int2"))) return;
      ctx.report(
          span_of_name(ctx, s, t.column), s.what.statement,
          fmt::format("key column `{}` of `{}` is `{}`: {} runs out at {}, and widening it "
                      "to `bigint` later rewrites the table (and every table whose foreign "
                      "keys reference it) under ACCESS EXCLUSIVE",
                      t.column, t.table.display(), t.base == "int4" ? "integer" : "smallint",
                      t.base == "int4" ? "`integer`" : "`smallint`",
                      t.base == "int4" ? "2,147,483,647" : "32,767"),
          "use `bigint` for keys (`bigint primary key generated always as identity`, and "
          "`bigint` for the foreign keys that reference it): a few more bytes a row, and the "
          "question never comes back");
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_PreferBigint() { return std::make_unique<PreferBigint>(); }

}  // namespace mig
