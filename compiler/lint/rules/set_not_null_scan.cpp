#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class SetNotNullScan final : public Rule {
 public:
  std::string_view id() const override { return "set-not-null-scan"; }
  std::string_view summary() const override {
    return "`set not null` that scans an existing table under ACCESS EXCLUSIVE";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    const auto* op = dynamic_cast<const SetNotNull*>(&view.op);
    if (!op || ctx.is_new(op->table.name) || !view.steps.front().lock.scans_table) return;
    const auto& t = op->table.name;
    const auto check = fmt::format("{}_{}_not_null", t.name, op->column.value);
    const auto help =
        ctx.settings.pg_version >= 12
            ? fmt::format(
                  "prove the column has no NULL first; PostgreSQL {} then skips the scan:\n"
                  "    alter table {} add check {} ({} is not null) not valid\n"
                  "  and in a later migration:\n"
                  "    alter table {} {{\n"
                  "      validate constraint {}\n"
                  "      alter column {} set not null\n"
                  "      drop constraint {}\n"
                  "    }}\n"
                  "  (`mig lint --fix` writes this)",
                  ctx.settings.pg_version, t.name, check, op->column.value, t.name, check,
                  op->column.value, check)
            : "before PostgreSQL 12 there is no way around the scan: run it when traffic is low";
    std::optional<Fix> fix;
    if (ctx.settings.pg_version >= 12) {
      // Names as the user wrote them, so quoting stays right.
      const auto table = ctx.text(op->table.span);
      const auto column = ctx.text(op->column.span);
      fix =
          Fix{op->span, fmt::format("add check {} ({} is not null) not valid", check, column),
              "replaced `set not null` with a `not valid` check",
              "set_" + t.name + "_" + op->column.value + "_not_null",
              fmt::format(
                  "# Completes the not-null change of {}: the check is validated without blocking\n"
                  "# writes, and then proves the column, so `set not null` does not scan.\n"
                  "alter table {} {{\n"
                  "  validate constraint {}\n"
                  "  alter column {} set not null\n"
                  "  drop constraint {}\n"
                  "}}\n",
                  ctx.migration.source->path(), table, check, column, check)};
    }
    ctx.report(op->span, op->statement,
               fmt::format("`set not null` on `{}.{}` scans the whole table under ACCESS "
                           "EXCLUSIVE: every read and write of `{}` waits for it",
                           t.display(), op->column.value, t.display()),
               help, fix);
  }
};

}  // namespace

std::unique_ptr<Rule> make_SetNotNullScan() { return std::make_unique<SetNotNullScan>(); }

}  // namespace mig
