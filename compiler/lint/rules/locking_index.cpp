#include "compiler/lint/lint_support.hpp"
#include "compiler/sql/statement_facts.hpp"

namespace mig {

namespace {

constexpr const char* kHelp =
    "write `create index concurrently ...`: it takes SHARE UPDATE EXCLUSIVE, so reads and writes "
    "go on during the build, and mig runs it alone, outside a transaction";

class LockingIndex final : public Rule {
 public:
  std::string_view id() const override { return "locking-index"; }
  std::string_view summary() const override {
    return "an index build that blocks writes to an existing table";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* create = dynamic_cast<const CreateIndex*>(&view.op)) {
      if (create->concurrently || ctx.is_new(create->table.name)) return;
      const auto at = after_keyword(ctx.migration.source->text(), create->span, "index");
      ctx.report(create->span, create->statement,
                 fmt::format("building index `{}` blocks writes to `{}` until it is finished "
                             "(SHARE lock)",
                             create->index.name.name, create->table.name.display()),
                 kHelp, Fix::edit({*at, *at}, " concurrently", "added `concurrently`"));
    } else if (const auto* raw = dynamic_cast<const RawSql*>(&view.op)) {
      for (const auto& s : raw->up_statements) {
        if (!s.tree.contains("IndexStmt")) continue;
        const auto& node = s.tree["IndexStmt"];
        const auto table = object_name(range_var_name(node["relation"]));
        if (node.value("concurrent", false) || ctx.is_new(table)) continue;
        const auto at = after_keyword(ctx.migration.source->text(), s.span, "index");
        // In a file that runs in one transaction CONCURRENTLY would fail: no fix there.
        const auto fix =
            ctx.settings.raw_sql_in_one_transaction
                ? std::nullopt
                : std::optional(Fix::edit({*at, *at}, " CONCURRENTLY", "added `CONCURRENTLY`"));
        ctx.report(
            s.span, raw->statement,
            fmt::format("CREATE INDEX blocks writes to `{}` until it is finished (SHARE lock)",
                        table.display()),
            "write `CREATE INDEX CONCURRENTLY`: reads and writes go on during the build", fix);
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_LockingIndex() { return std::make_unique<LockingIndex>(); }

}  // namespace mig
