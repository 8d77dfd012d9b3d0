#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

constexpr const char* kPhased =
    "change it in phases (see examples/phased-rename): add a column of the new type, write "
    "both from the application, fill the new one with `backfill` in a later migration, switch "
    "reads, then drop the old column";

class TypeChangeRewrite final : public Rule {
 public:
  std::string_view id() const override { return "type-change-rewrite"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "a column type change that rewrites an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<ColumnTypeChanged>(s, [&](const ColumnTypeChanged& e) {
      if (ctx.is_new(e.table) || e.rewrite == Rewrite::No) return;
      const auto t = e.table.display();
      const auto change =
          e.from.empty()
              ? fmt::format("changing the type of `{}.{}` to `{}`", t, e.column, e.to)
              : fmt::format("changing `{}.{}` from `{}` to `{}`", t, e.column, e.from, e.to);
      ctx.report(
          s.what.span, s.what.statement,
          fmt::format("{} {} `{}` and rebuilds its indexes under ACCESS EXCLUSIVE: every read "
                      "and write of `{}` waits for the rewrite{}",
                      change, e.rewrite == Rewrite::Yes ? "rewrites" : "may rewrite", t, t,
                      e.rewrite == Rewrite::Yes
                          ? ""
                          : " (the old type is not known here, and only a change PostgreSQL is "
                            "known to make in place is free)"),
          s.what.form == Form::Mig
              ? fmt::format("{}:\n"
                            "    alter table {} add column {}_new {}\n"
                            "  (changes PostgreSQL makes in place, such as raising a `varchar` "
                            "limit or `varchar` to `text`, need none of this)",
                            kPhased, written(e.table), e.column, e.to)
              : std::string(kPhased));
    });
  }
};

}  // namespace

std::unique_ptr<Rule> make_TypeChangeRewrite() { return std::make_unique<TypeChangeRewrite>(); }

}  // namespace mig
