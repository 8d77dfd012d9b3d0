#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/source/spelling.hpp"

namespace mig {

namespace {

class DropSchemaOp final : public Operation {
 public:
  explicit DropSchemaOp(const ast::DropSchema& written) : written_(written) {}
  std::string describe() const override {
    return fmt::format("drop schema {}", written_.schema.value);
  }
  void apply(SchemaModel& model, int) const override { model.remove_schema(written_.schema.value); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP SCHEMA {}", Ident{written_.schema.value}))};
  }
  std::vector<PlanStep> down(const SchemaModel& before) const override {
    const auto& name = written_.schema.value;
    std::vector<PlanStep> steps{
        step(fmt::format("create schema {}", name), fmt::format("CREATE SCHEMA {}", Ident{name}))};
    add_comment_step(steps, schema_ref(name), before.schema_comment(name));
    for (auto& s : grant_steps(fmt::format("SCHEMA {}", Ident{name}), "schema " + name,
                               before.schema_grants(name)))
      steps.push_back(std::move(s));
    return steps;
  }

 private:
  const ast::DropSchema& written_;
};

// What the model knows to be in `schema`, as `table `s.t``, `type `s.t``, ...
std::vector<std::string> contents(const SchemaModel& model, const std::string& schema) {
  std::vector<std::string> out;
  for (const auto& t : model.tables())
    if (t.name.schema == schema) out.push_back(fmt::format("table `{}`", t.name.display()));
  for (const auto& [name, type] : model.enums())
    if (name.schema == schema) out.push_back(fmt::format("type `{}`", name.display()));
  for (const auto& [name, extension] : model.extensions())
    if (extension.schema == schema) out.push_back(fmt::format("extension `{}`", name));
  return out;
}

}  // namespace

OperationPtr resolve(const ast::DropSchema& written, const SchemaModel& before, CheckContext& ctx) {
  const auto& name = written.schema.value;
  if (!before.schemas().contains(name)) {
    const auto suggestion = closest_name(name, before.schemas(), [](const auto& s) { return s; });
    ctx.error(written.schema.span, fmt::format("schema `{}` does not exist", name),
              suggestion.empty() ? "" : fmt::format("did you mean `{}`?", suggestion));
    return nullptr;
  }
  if (const auto inside = contents(before, name); !inside.empty()) {
    ctx.error(written.schema.span,
              fmt::format("schema `{}` is not empty: it holds {}", name, fmt::join(inside, ", ")),
              "drop what it holds first; mig does not drop a schema with `cascade`");
    return nullptr;
  }
  return std::make_unique<DropSchemaOp>(written);
}

}  // namespace mig
