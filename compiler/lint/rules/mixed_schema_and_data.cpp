#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

bool blocks_writes(const std::string& mode) {
  return mode == "SHARE" || mode == "SHARE ROW EXCLUSIVE" || mode == "EXCLUSIVE" ||
         mode == "ACCESS EXCLUSIVE";
}

// The first backfill or data statement (UPDATE, INSERT, DELETE ...) of the migration.
std::optional<std::pair<Span, int>> first_data_change(const CompiledMigration& m) {
  for (const auto& op : m.parsed.operations) {
    if (dynamic_cast<const Backfill*>(op.get())) return std::pair{op->span, op->statement};
    if (const auto* raw = dynamic_cast<const RawSql*>(op.get()))
      for (const auto& step : raw->up(SchemaModel{}))
        if (step.kind == StepKind::Data) return std::pair{raw->span, raw->statement};
  }
  return std::nullopt;
}

class MixedSchemaAndData final : public Rule {
 public:
  std::string_view id() const override { return "mixed-schema-and-data"; }
  std::string_view summary() const override {
    return "a migration that changes the schema of an existing table and also changes data";
  }

  void check_migration(const LintContext& ctx, const SchemaModel&) const override {
    const auto data = first_data_change(ctx.migration);
    if (!data) return;
    for (const auto& step : ctx.migration.plan.up) {
      if (step.kind != StepKind::Ddl) continue;
      for (const auto& lock : step.lock.locks) {
        if (!blocks_writes(lock.mode) || ctx.is_new(object_name(lock.table))) continue;
        ctx.report(data->first, data->second,
                   fmt::format("this migration changes data and also the schema of `{}` ({})",
                               lock.table, step.description),
                   "keep data migrations separate: move the data change into its own migration "
                   "after this one, so the schema change commits and releases its lock first, "
                   "and a slow or failing data change cannot hold back or undo the schema");
        return;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_MixedSchemaAndData() { return std::make_unique<MixedSchemaAndData>(); }

}  // namespace mig
