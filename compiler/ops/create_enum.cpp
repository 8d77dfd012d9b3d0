#include <algorithm>

#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

namespace {

class CreateEnumOp final : public Operation {
 public:
  explicit CreateEnumOp(EnumType created) : created_(std::move(created)) {}
  std::string describe() const override {
    return fmt::format("create type {}", created_.name.display());
  }
  void apply(SchemaModel& model, int) const override { model.add_enum(created_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_enum_sql(created_))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop type {}", created_.name.display()),
                 fmt::format("DROP TYPE {}", created_.name))};
  }

 private:
  EnumType created_;
};

}  // namespace

OperationPtr resolve(const ast::CreateEnum& written, const SchemaModel& before, CheckContext& ctx) {
  const int errors = ctx.errors();
  const auto& name = written.type.name;
  if (before.find_enum(name) || before.find_table(name))
    ctx.error(written.type.span,
              fmt::format("type `{}` already exists{}", name.display(),
                          before.find_table(name) ? ": it is the row type of the table" : ""));
  if (!before.schema_exists(name.schema))
    ctx.error(written.type.span, fmt::format("schema `{}` does not exist", name.schema),
              fmt::format("create it first: `create schema {}`", name.schema));
  if (name.schema == "public" && is_builtin_type(name.name))
    ctx.error(written.type.span,
              fmt::format("`{}` is the name of a built-in type, which a column of type `{}` "
                          "would keep meaning",
                          name.name, name.name),
              "give the enum type another name");
  EnumType created{name, {}, std::nullopt};
  for (const auto& value : written.values) {
    if (std::find(created.values.begin(), created.values.end(), value.value) !=
        created.values.end())
      ctx.error(value.span, fmt::format("value '{}' is listed twice", value.value));
    created.values.push_back(value.value);
  }
  if (ctx.errors() != errors) return nullptr;
  return std::make_unique<CreateEnumOp>(std::move(created));
}

}  // namespace mig
