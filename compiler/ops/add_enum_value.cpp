#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

namespace {

// PostgreSQL cannot remove a value from an enum type. The downgrade re-creates the type
// with its old values and moves every column onto it through text, which fails while a row
// holds the new value.
class AddEnumValueOp final : public Operation {
 public:
  AddEnumValueOp(const ast::AddEnumValue& written, const EnumType& type)
      : written_(written), type_(type) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;
  Reversal reversal(const SchemaModel& before) const override;

 private:
  const ast::AddEnumValue& written_;
  EnumType type_;  // as it was before
};

// The name the old type is moved to while the downgrade re-creates it.
std::string aside_name(const std::string& name) {
  constexpr std::string_view suffix = "__mig_old";
  return name.substr(0, kMaxIdentifier - suffix.size()) + std::string(suffix);
}

std::string columns_list(const std::vector<std::pair<const Table*, const Column*>>& columns) {
  std::string out;
  for (const auto& [table, column] : columns)
    out += fmt::format("{}`{}.{}`", out.empty() ? "" : ", ", table->name.display(), column->name);
  return out;
}

}  // namespace

std::string AddEnumValueOp::describe() const {
  return fmt::format("add value '{}' to type {}", written_.value.value, type_.name.display());
}

void AddEnumValueOp::apply(SchemaModel& model, int) const {
  model.edit_enum(type_.name, [&](EnumType& t) {
    auto at = t.values.end();
    if (written_.neighbour) {
      at = std::find(t.values.begin(), t.values.end(), written_.neighbour->value);
      if (!written_.before) ++at;
    }
    t.values.insert(at, written_.value.value);
  });
}

// IF NOT EXISTS: the step runs alone, committed before the statements that may use the new
// value (PostgreSQL refuses a value used in the transaction that added it), so a run
// interrupted after it repeats it harmlessly.
std::vector<PlanStep> AddEnumValueOp::up(const SchemaModel&) const {
  auto sql = fmt::format("ALTER TYPE {} ADD VALUE IF NOT EXISTS {}", type_.name,
                         quote_literal(written_.value.value));
  if (written_.neighbour)
    sql += fmt::format(" {} {}", written_.before ? "BEFORE" : "AFTER",
                       quote_literal(written_.neighbour->value));
  return {step(describe(), std::move(sql))};
}

namespace {

// Moves `columns` of `table` onto the re-created type. An index or check that mentions
// one of them may hold a value of the old type (`where mood = 'sad'`), which PostgreSQL
// would carry into the rebuilt definition; they are dropped and re-created around it.
void move_columns(std::vector<PlanStep>& steps, const Table& table,
                  const std::vector<const Column*>& columns) {
  const auto mentioned = [&](const auto& object) {
    return std::any_of(columns.begin(), columns.end(),
                       [&](const Column* c) { return mentions_column(object, c->name); });
  };
  std::vector<const Constraint*> checks;
  for (const auto& c : table.constraints)
    if (c.kind == ConstraintKind::Check && mentioned(c)) checks.push_back(&c);
  std::vector<const Index*> indexes;
  for (const auto& i : table.indexes)
    if (mentioned(i)) indexes.push_back(&i);
  for (const auto* c : checks) steps.push_back(drop_constraint_step(table.name, c->name));
  for (const auto* i : indexes) steps.push_back(drop_index_step(table.name, i->name));
  for (const auto* column : columns) {
    const auto where = fmt::format("{}.{}", table.name.display(), column->name);
    const auto alter = [&](std::string_view action) {
      return alter_table_sql(table.name,
                             fmt::format("ALTER COLUMN {} {}", Ident{column->name}, action));
    };
    if (column->default_expr)
      steps.push_back(step(fmt::format("drop default of {}", where), alter("DROP DEFAULT")));
    const auto through = type_name(column->type)->array ? "text[]" : "text";
    steps.push_back(step(fmt::format("move column {} onto the re-created type", where),
                         alter(fmt::format("TYPE {} USING {}::{}::{}", column->type,
                                           Ident{column->name}, through, column->type))));
    if (column->default_expr)
      steps.push_back(step(fmt::format("restore default of {}", where),
                           alter("SET DEFAULT " + *column->default_expr)));
  }
  for (const auto* c : checks) append(steps, add_constraint_steps(table.name, *c));
  for (const auto* i : indexes) append(steps, create_index_steps(table.name, *i));
}

// The views that read one of `columns`, and the views that read those in turn, in an order
// each can be created in (those it reads first).
std::vector<const View*> views_reading(
    const SchemaModel& model, const std::vector<std::pair<const Table*, const Column*>>& columns) {
  std::vector<const View*> found;
  const auto add = [&](const std::vector<const View*>& views) {
    for (const auto* v : views)
      if (std::find(found.begin(), found.end(), v) == found.end()) found.push_back(v);
  };
  for (const auto& [table, column] : columns) add(model.views_reading(table->name, column->name));
  for (std::size_t i = 0; i < found.size(); ++i) add(model.views_reading(found[i]->name));
  std::vector<const View*> ordered;
  while (ordered.size() < found.size())
    for (const auto* v : found) {
      if (std::find(ordered.begin(), ordered.end(), v) != ordered.end()) continue;
      if (std::all_of(v->reads.begin(), v->reads.end(), [&](const ObjectName& read) {
            return std::none_of(found.begin(), found.end(), [&](const View* other) {
              return other->name == read &&
                     std::find(ordered.begin(), ordered.end(), other) == ordered.end();
            });
          }))
        ordered.push_back(v);
    }
  return ordered;
}

}  // namespace

// PostgreSQL changes the type of no column a view or a policy uses: those are dropped
// first and made again after.
std::vector<PlanStep> AddEnumValueOp::down(const SchemaModel& before) const {
  const auto aside = aside_name(type_.name.name);
  const auto display = type_.name.display();
  std::vector<PlanStep> steps{
      step(fmt::format("move type {} aside to {}", display, aside),
           fmt::format("ALTER TYPE {} RENAME TO {}", type_.name, Ident{aside})),
      step(fmt::format("re-create type {} without '{}'", display, written_.value.value),
           create_enum_sql(type_))};
  const auto columns = before.columns_of_type(type_.name);
  const auto views = views_reading(before, columns);
  for (auto v = views.rbegin(); v != views.rend(); ++v) steps.push_back(drop_view_step(**v));
  std::vector<std::pair<const Table*, const Policy*>> policies;
  for (const auto& [table, column] : columns)
    for (const auto& p : table->row_security.policies)
      if (std::find(p.columns.begin(), p.columns.end(), column->name) != p.columns.end() &&
          std::find(policies.begin(), policies.end(), std::pair{table, &p}) == policies.end())
        policies.emplace_back(table, &p);
  for (const auto& [table, policy] : policies)
    steps.push_back(step(fmt::format("drop policy {} on {}", policy->name, table->name.display()),
                         fmt::format("DROP POLICY {} ON {}", Ident{policy->name}, table->name)));
  for (auto first = columns.begin(); first != columns.end();) {
    const auto* table = first->first;
    std::vector<const Column*> of_table;
    for (; first != columns.end() && first->first == table; ++first)
      of_table.push_back(first->second);
    move_columns(steps, *table, of_table);
  }
  for (const auto& [table, policy] : policies)
    steps.push_back(step(fmt::format("create policy {} on {}", policy->name, table->name.display()),
                         create_policy_sql(fmt::format("{}", table->name), *policy)));
  for (const auto* v : views)
    for (auto& s : create_view_steps(*v)) steps.push_back(std::move(s));
  steps.push_back(step(fmt::format("drop the old type {}", aside),
                       fmt::format("DROP TYPE {}", ObjectName{type_.name.schema, aside})));
  add_comment_step(steps, object_ref("type", type_.name), type_.comment);
  return steps;
}

Reversal AddEnumValueOp::reversal(const SchemaModel& before) const {
  const auto columns = before.columns_of_type(type_.name);
  if (columns.empty()) return {};
  return {Reversibility::Lossy,
          fmt::format("PostgreSQL cannot remove a value from an enum: the downgrade re-creates "
                      "type `{}` without '{}' and rewrites {}, and fails while a row holds '{}'",
                      type_.name.display(), written_.value.value, columns_list(columns),
                      written_.value.value)};
}

OperationPtr resolve(const ast::AddEnumValue& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* type = require_enum(before, written.type, ctx);
  if (!type) return nullptr;
  const auto& values = type->values;
  if (std::find(values.begin(), values.end(), written.value.value) != values.end()) {
    ctx.error(written.value.span, fmt::format("enum type `{}` already has the value '{}'",
                                              type->name.display(), written.value.value));
    return nullptr;
  }
  if (written.neighbour && !require_enum_value(*type, *written.neighbour, ctx)) return nullptr;
  return std::make_unique<AddEnumValueOp>(written, *type);
}

}  // namespace mig
