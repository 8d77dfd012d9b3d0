#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// "scans every row of `t` under ACCESS EXCLUSIVE, ..." for a check or a foreign key.
std::string lock_story(const std::string& table, const std::optional<std::string>& referenced) {
  if (!referenced)
    return fmt::format(
        "PostgreSQL checks every row of `{}` while it holds ACCESS EXCLUSIVE: "
        "every read and write of `{}` waits for the scan",
        table, table);
  if (*referenced == table)
    return fmt::format(
        "PostgreSQL checks every row of `{}` while it holds SHARE ROW EXCLUSIVE "
        "on it: every write to `{}` waits for the scan",
        table, table);
  return fmt::format(
      "PostgreSQL checks every row of `{}` while it holds SHARE ROW EXCLUSIVE on "
      "`{}` and `{}`: every write to either table waits for the scan",
      table, table, *referenced);
}

constexpr const char* kWhy =
    "`not valid` enforces the constraint for new and updated rows at once and skips the scan; "
    "`validate constraint` in a later migration checks the existing rows under SHARE UPDATE "
    "EXCLUSIVE, which lets reads and writes go on";

class ConstraintWithoutNotValid final : public Rule {
 public:
  std::string_view id() const override { return "constraint-without-not-valid"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "a check or foreign key added to an existing table without `not valid`";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<DomainConstraintAdded>(s, [&](const DomainConstraintAdded& e) {
      if (!e.validated) return;
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("check{} is added to domain `{}` without NOT VALID: PostgreSQL checks "
                             "every column of that domain in every table, holding SHARE on each "
                             "table: every write to them waits for the scan",
                             e.name.empty() ? "" : fmt::format(" `{}`", e.name), e.domain),
                 fmt::format("{}: `ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID`, then `ALTER "
                             "DOMAIN ... VALIDATE CONSTRAINT ...` in a later migration",
                             kWhy));
    });
    std::vector<std::string> added_columns;
    each<ColumnAdded>(s, [&](const ColumnAdded& e) { added_columns.push_back(e.column); });
    each<ConstraintAdded>(s, [&](const ConstraintAdded& e) {
      if (!e.validated || ctx.is_new(e.table) || changes_column_type(s, e.table) ||
          (e.kind != ConstraintKind::Check && e.kind != ConstraintKind::ForeignKey))
        return;
      const auto table = e.table.display();
      std::optional<std::string> referenced;
      if (e.references) referenced = e.references->display();
      const auto what = e.kind == ConstraintKind::Check ? "check" : "foreign key";
      const auto name = e.name.empty() ? std::string() : fmt::format(" `{}`", e.name);
      const bool inline_on_new_column =
          e.columns.size() == 1 && std::find(added_columns.begin(), added_columns.end(),
                                             e.columns.front()) != added_columns.end();
      if (inline_on_new_column) {
        ctx.report(
            span_of_name(ctx, s, e.columns.front()), s.what.statement,
            fmt::format("column `{}` is added to `{}` with an inline {}: PostgreSQL checks every "
                        "row of `{}` while it holds ACCESS EXCLUSIVE on it{}: every read and write "
                        "of `{}` waits for the scan",
                        e.columns.front(), table, what, table,
                        referenced && *referenced != table
                            ? fmt::format(" and SHARE ROW EXCLUSIVE on `{}`", *referenced)
                            : "",
                        table),
            "add the column without it, then add the constraint `not valid` and validate it "
            "in a later migration");
        return;
      }
      if (s.what.form != Form::Mig) {
        ctx.report(s.what.span, s.what.statement,
                   fmt::format("{}{} is added to `{}` without NOT VALID: {}", what, name, table,
                               lock_story(table, referenced)),
                   fmt::format("{}: `ALTER TABLE ... ADD CONSTRAINT ... NOT VALID`, then `ALTER "
                               "TABLE ... VALIDATE CONSTRAINT ...` in a later migration",
                               kWhy));
        return;
      }
      const auto written_table = written(e.table);
      Fix fix =
          Fix::edit({s.what.span.end, s.what.span.end}, " not valid",
                    fmt::format("added `not valid`; the new migration validates `{}`", e.name));
      fix.new_file = "validate_" + e.name;
      fix.new_file_text = fmt::format(
          "# Checks the existing rows against `{}`, added `not valid` by {}, without blocking "
          "writes.\nalter table {} validate constraint {}\n",
          e.name, ctx.migration.source->path(), written_table, written(e.name));
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("{}{} is added to `{}` without `not valid`: {}", what, name, table,
                             lock_story(table, referenced)),
                 fmt::format("{}:\n"
                             "    alter table {} {} not valid\n"
                             "  and in a later migration:\n"
                             "    alter table {} validate constraint {}\n"
                             "  (`mig lint --fix` writes both)",
                             kWhy, written_table, action(ctx, s), written_table, written(e.name)),
                 fix);
    });
  }

 private:
  // The `.mig` action as written: `add constraint ...` (a one-line statement's span is its
  // action too).
  static std::string action(const LintContext& ctx, const PlannedStatement& s) {
    auto text = std::string(ctx.text(s.what.span));
    const auto first = text.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : text.substr(first);
  }
};

}  // namespace

std::unique_ptr<Rule> make_ConstraintWithoutNotValid() {
  return std::make_unique<ConstraintWithoutNotValid>();
}

}  // namespace mig
