#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// The table as it will exist; reports what is wrong to `ctx`.
Table build(const CreateTable& op, const SchemaModel& before, CheckContext& ctx) {
  Table t;
  t.name = op.table.name;
  t.version = ctx.version();
  for (const auto& spec : op.columns) {
    require_type(before, spec.type, ctx, true);
    if (t.find_column(spec.name.value))
      ctx.error(spec.name.span, fmt::format("column `{}` is declared twice", spec.name.value));
    else
      t.columns.push_back(column_from(spec));
  }
  std::vector<ConstraintSpec> specs;
  for (const auto& c : op.columns)
    for (auto& s : inline_constraints(c)) specs.push_back(std::move(s));
  specs.insert(specs.end(), op.constraints.begin(), op.constraints.end());
  for (const auto& spec : specs) {
    if (auto c = resolve_constraint(before, t, spec, ctx, ctx.version())) {
      if (c->kind == ConstraintKind::PrimaryKey)
        for (const auto& name : c->columns) t.find_column(name)->not_null = true;
      t.constraints.push_back(std::move(*c));
    }
  }
  drop_redundant_unique(t.constraints, 0);
  return t;
}

}  // namespace

std::string CreateTable::describe() const {
  return fmt::format("create table {}", table.name.display());
}

bool CreateTable::check(const SchemaModel& before, CheckContext& ctx) {
  const int errors = ctx.errors();
  if (before.find_table(table.name)) {
    ctx.error(table.span, fmt::format("table `{}` already exists", table.name.display()));
    return false;
  }
  if (before.relation_exists(table.name))
    ctx.error(table.span,
              fmt::format("`{}` is already the name of an index", table.name.display()));
  if (!before.schema_exists(table.name.schema))
    ctx.error(table.span, fmt::format("schema `{}` does not exist", table.name.schema),
              fmt::format("create it in an earlier `sql {{ create schema {0} }} down {{ drop "
                          "schema {0} }}` block",
                          table.name.schema));
  created_ = build(*this, before, ctx);
  return ctx.errors() == errors;
}

void CreateTable::apply(SchemaModel& model, int) const {
  auto table = created_;
  for (auto& c : table.columns)
    if (owns_sequence(c))
      c.sequence = model.choose_relation_name(table.name.schema, table.name.name, c.name, "seq");
  model.add_table(std::move(table));
}

std::vector<PlanStep> CreateTable::up(const SchemaModel&) const {
  return create_table_steps(created_);
}

std::vector<PlanStep> CreateTable::down(const SchemaModel&) const {
  return {step(fmt::format("drop table {}", table.name.display()),
               fmt::format("DROP TABLE {}", table.name))};
}

}  // namespace mig
