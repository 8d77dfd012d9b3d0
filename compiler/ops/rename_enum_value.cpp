#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class RenameEnumValueOp final : public Operation {
 public:
  explicit RenameEnumValueOp(const ast::RenameEnumValue& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("rename value '{}' of type {} to '{}'", written_.value.value,
                       written_.type.name.display(), written_.new_value.value);
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_enum(written_.type.name, [&](EnumType& t) {
      std::replace(t.values.begin(), t.values.end(), written_.value.value,
                   written_.new_value.value);
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), rename_sql(written_.value.value, written_.new_value.value))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("rename value '{}' of type {} back to '{}'", written_.new_value.value,
                             written_.type.name.display(), written_.value.value),
                 rename_sql(written_.new_value.value, written_.value.value))};
  }

 private:
  std::string rename_sql(const std::string& from, const std::string& to) const {
    return fmt::format("ALTER TYPE {} RENAME VALUE {} TO {}", written_.type.name,
                       quote_literal(from), quote_literal(to));
  }

  const ast::RenameEnumValue& written_;
};

// The model keeps defaults, checks, index predicates, policies and views as written; PostgreSQL
// keeps the value itself, renamed. Where one spells the old value, the model would write it back in
// a downgrade that PostgreSQL then refuses.
std::vector<std::string> spelling_value(const SchemaModel& model, const ObjectName& type,
                                        const std::string& value) {
  const auto literal = quote_literal(value);
  const auto spells = [&](const std::string& sql) {
    return sql.find(literal) != std::string::npos;
  };
  std::vector<std::string> out;
  for (const auto& [table, column] : model.columns_of_type(type)) {
    const auto where = fmt::format("`{}.{}`", table->name.display(), column->name);
    if (column->default_expr && spells(*column->default_expr))
      out.push_back("the default of " + where);
    for (const auto& c : table->constraints)
      if (c.kind == ConstraintKind::Check && mentions_column(c, column->name) && spells(c.check))
        out.push_back(fmt::format("check `{}`", c.name));
    for (const auto& i : table->indexes) {
      bool keys = false;
      for (const auto& k : i.keys) keys |= spells(k.sql);
      if (mentions_column(i, column->name) && (keys || spells(i.where)))
        out.push_back(fmt::format("index `{}`", i.name));
    }
    for (const auto& p : table->row_security.policies)
      if (std::find(p.columns.begin(), p.columns.end(), column->name) != p.columns.end() &&
          spells(p.clauses))
        out.push_back(fmt::format("policy `{}`", p.name));
    for (const auto* v : model.views_reading(table->name))
      if (spells(v->query)) out.push_back(fmt::format("view `{}`", v->name.display()));
  }
  for (auto i = out.begin(); i != out.end(); ++i)
    out.erase(std::remove(i + 1, out.end(), *i), out.end());
  return out;
}

}  // namespace

OperationPtr resolve(const ast::RenameEnumValue& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* type = require_enum(before, written.type, ctx);
  if (!type || !require_enum_value(*type, written.value, ctx)) return nullptr;
  const auto& values = type->values;
  if (std::find(values.begin(), values.end(), written.new_value.value) != values.end()) {
    ctx.error(written.new_value.span, fmt::format("enum type `{}` already has the value '{}'",
                                                  type->name.display(), written.new_value.value));
    return nullptr;
  }
  if (const auto spelling = spelling_value(before, type->name, written.value.value);
      !spelling.empty()) {
    ctx.error(written.value.span,
              fmt::format("'{}' is written in {}", written.value.value, fmt::join(spelling, ", ")),
              "mig keeps them as written, and their downgrades would spell the old value: drop "
              "them before the rename and create them again with the new value after it");
    return nullptr;
  }
  return std::make_unique<RenameEnumValueOp>(written);
}

}  // namespace mig
