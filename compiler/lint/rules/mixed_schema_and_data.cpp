#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

bool changes_data(const PlannedStatement& s) {
  bool data = false;
  each<RowsChanged>(s, [&](const RowsChanged& e) { data |= !e.bookkeeping; });
  each<TableTruncated>(s, [&](const TableTruncated&) { data = true; });
  return data;
}

// Whether the statement changes a table's definition (maintenance such as VACUUM FULL,
// CLUSTER, REINDEX or LOCK TABLE does not).
bool changes_schema(const PlannedStatement& s) {
  return std::any_of(s.what.effects.begin(), s.what.effects.end(), [](const Effect& e) {
    return !std::holds_alternative<TableRewritten>(e) && !std::holds_alternative<TableLocked>(e) &&
           !std::holds_alternative<Reindexed>(e) && !std::holds_alternative<RunsAlone>(e) &&
           !std::holds_alternative<TransactionControl>(e);
  });
}

class MixedSchemaAndData final : public Rule {
 public:
  std::string_view id() const override { return "mixed-schema-and-data"; }
  std::string_view summary() const override {
    return "a migration that changes the schema of an existing table and also changes data";
  }

  void check_migration(const LintContext& ctx, const SchemaModel&) const override {
    const auto& statements = ctx.migration.statements;
    const auto data = std::find_if(statements.begin(), statements.end(), changes_data);
    if (data == statements.end()) return;
    for (const auto& s : statements) {
      if (changes_data(s) || !changes_schema(s)) continue;
      for (auto i = s.first_step; i < s.end_step; ++i) {
        const auto& step = ctx.migration.plan.up[i];
        for (const auto& lock : step.lock.locks) {
          if (!blocks_writes(lock.mode) || ctx.is_new({lock.schema, lock.table})) continue;
          ctx.report(data->what.span, data->what.statement,
                     fmt::format("this migration changes data and also the schema of `{}` ({})",
                                 lock.display(), step.description),
                     "keep data migrations separate: move the data change into its own migration "
                     "after this one, so the schema change commits and releases its lock first, "
                     "and a slow or failing data change cannot hold back or undo the schema");
          return;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_MixedSchemaAndData() { return std::make_unique<MixedSchemaAndData>(); }

}  // namespace mig
