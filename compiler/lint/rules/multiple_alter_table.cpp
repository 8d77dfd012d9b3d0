#include <map>

#include "compiler/effects/lock_facts.hpp"
#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// How a statement changes a table's definition: not at all (as far as this rule goes: a
// rename cannot join other actions), in a way that could join other changes in one ALTER
// TABLE, or in a way that must stay a statement of its own (a `not valid` add, its
// validation, and what relies on it being validated).
enum class Alteration { None, Mergeable, Separate };

Alteration alteration(const LintContext& ctx, const PlannedStatement& s, const Effect& effect) {
  constexpr auto None = Alteration::None, Mergeable = Alteration::Mergeable,
                 Separate = Alteration::Separate;
  return std::visit(
      Overloaded{
          [&](const ColumnAdded&) { return Mergeable; },
          [&](const ColumnDropped&) { return Mergeable; },
          [&](const ColumnTypeChanged&) { return Mergeable; },
          [&](const NotNullDropped&) { return Mergeable; },
          [&](const DefaultChanged&) { return Mergeable; },
          [&](const ConstraintDropped&) { return Mergeable; },
          [&](const NotNullSet& e) { return set_not_null_scans(ctx, s, e) ? Mergeable : Separate; },
          [&](const ConstraintAdded& e) { return e.validated ? Mergeable : Separate; },
          [&](const ConstraintValidated&) { return Separate; },
          [&](const auto&) { return None; },
      },
      effect);
}

struct Alter {
  int statement = 0;
  Span span;
  Form form = Form::Mig;
};

class MultipleAlterTable final : public Rule {
 public:
  std::string_view id() const override { return "multiple-alter-table"; }
  std::string_view summary() const override {
    return "several separate `alter table` statements on one existing table that could be one";
  }

  void check_migration(const LintContext& ctx, const SchemaModel&) const override {
    // The current run of mergeable statements per table; a statement that must stay
    // separate ends it.
    std::map<ObjectName, std::vector<Alter>> runs;
    for (const auto& s : ctx.migration.statements) {
      std::map<ObjectName, Alteration> tables;
      for (const auto& e : s.what.effects) {
        const auto kind = alteration(ctx, s, e);
        const auto* table = table_of(e);
        if (kind == Alteration::None || !table || ctx.is_new(*table)) continue;
        auto& seen = tables[*table];
        seen = std::max(seen, kind);
      }
      for (const auto& [table, kind] : tables) {
        auto& run = runs[table];
        if (kind == Alteration::Separate) {
          report(ctx, table, run);
          run.clear();
          continue;
        }
        const bool same_statement = !run.empty() && run.back().statement == s.what.statement &&
                                    s.what.form == Form::Mig && run.back().form == Form::Mig;
        if (same_statement)
          run.back().span.end = s.what.span.end;
        else
          run.push_back({s.what.statement, s.what.span, s.what.form});
      }
    }
    for (const auto& [table, run] : runs) report(ctx, table, run);
  }

 private:
  static void report(const LintContext& ctx, const ObjectName& table,
                     const std::vector<Alter>& run) {
    if (run.size() < 2) return;
    const bool all_mig =
        std::all_of(run.begin(), run.end(), [](const Alter& a) { return a.form == Form::Mig; });
    std::string block;
    for (const auto& a : run) {
      const auto text = std::string(ctx.text(a.span));
      // one-line `.mig` statements span their action; a block's actions span each line
      std::size_t start = 0;
      for (auto end = text.find('\n'); start <= text.size(); end = text.find('\n', start)) {
        auto line = text.substr(start, end - start);
        line.erase(0, line.find_first_not_of(" \t"));
        if (!line.empty()) block += "      " + line + "\n";
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    const auto first_line = line_of(ctx, run.front().span.begin);
    for (std::size_t i = 1; i < run.size(); ++i)
      ctx.report(
          run[i].span, run[i].statement,
          fmt::format("`{}` is altered again by a separate statement (first at line {}): each "
                      "one takes ACCESS EXCLUSIVE on `{}`, which is then held through whatever "
                      "runs between them, or taken again if a step outside a transaction comes "
                      "between",
                      table.display(), first_line, table.display()),
          all_mig ? fmt::format("write the changes as one block, one action per line, right "
                                "after each other:\n    alter table {} {{\n{}    }}",
                                written(table), block)
                  : "put the changes to the table together, in one ALTER TABLE statement with "
                    "several actions (or one `alter table { }` block in .mig)");
  }
};

}  // namespace

std::unique_ptr<Rule> make_MultipleAlterTable() { return std::make_unique<MultipleAlterTable>(); }

}  // namespace mig
