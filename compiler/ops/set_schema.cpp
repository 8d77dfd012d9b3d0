#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// PostgreSQL moves the table's indexes, constraints and the sequences its columns own with
// it; foreign keys of other tables follow it.
class SetSchemaOp final : public Operation {
 public:
  explicit SetSchemaOp(const ast::SetSchema& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("move table {} to schema {}", written_.table.name.display(),
                       written_.schema.value);
  }
  void apply(SchemaModel& model, int) const override {
    move_table(model, written_.table.name, moved());
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(),
                 alter_table_sql(written_.table.name,
                                 fmt::format("SET SCHEMA {}", Ident{written_.schema.value})))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    const auto& table = written_.table.name;
    return {step(fmt::format("move table {} back to schema {}", moved().display(), table.schema),
                 alter_table_sql(moved(), fmt::format("SET SCHEMA {}", Ident{table.schema})))};
  }

 private:
  ObjectName moved() const { return {written_.schema.value, written_.table.name.name}; }

  const ast::SetSchema& written_;
};

// The names the table and what moves with it take in schema `schema`.
std::vector<std::string> moving_names(const SchemaModel& model, const Table& t) {
  std::vector<std::string> out{t.name.name};
  for (const auto& c : t.columns)
    if (c.sequence) out.push_back(*c.sequence);
  for (const auto& i : t.indexes) out.push_back(i.name);
  for (const auto& c : t.constraints)
    if (owns_index(c)) out.push_back(c.name);
  for (const auto* s : model.sequences_owned_by(t.name)) out.push_back(s->name.name);
  return out;
}

}  // namespace

OperationPtr resolve(const ast::SetSchema& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  const auto& schema = written.schema;
  const auto refuse = [&](std::string message, std::string help = {}) {
    ctx.error(schema.span, std::move(message), std::move(help));
    return nullptr;
  };
  if (schema.value == table->name.schema)
    return refuse(
        fmt::format("table `{}` is already in schema `{}`", table->name.display(), schema.value));
  if (!before.schema_exists(schema.value))
    return refuse(fmt::format("schema `{}` does not exist", schema.value),
                  fmt::format("create it first: `create schema {}`", schema.value));
  if (const auto views = before.views_reading(table->name); !views.empty())
    return refuse(
        fmt::format("view `{}` reads table `{}`", views.front()->name.display(),
                    table->name.display()),
        "mig cannot yet follow a view to another schema: drop the view, move the table and "
        "create the view again");
  for (const auto& name : moving_names(before, *table))
    if (before.relation_exists({schema.value, name}))
      return refuse(
          fmt::format("schema `{}` already has a relation named `{}`", schema.value, name),
          "PostgreSQL moves the table's indexes and sequences with it");
  return std::make_unique<SetSchemaOp>(written);
}

}  // namespace mig
