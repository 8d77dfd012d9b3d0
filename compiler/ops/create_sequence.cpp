#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

class CreateSequenceOp final : public Operation {
 public:
  explicit CreateSequenceOp(Sequence created) : created_(std::move(created)) {}
  std::string describe() const override {
    return fmt::format("create sequence {}", created_.name.display());
  }
  void apply(SchemaModel& model, int) const override { model.put_sequence(created_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    auto sql = create_sequence_sql(created_);
    if (created_.owned_by)
      sql += fmt::format(" OWNED BY {}.{}", created_.owned_by->table,
                         Ident{created_.owned_by->column});
    return {step(describe(), sql)};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(fmt::format("drop sequence {}", created_.name.display()),
                 fmt::format("DROP SEQUENCE {}", created_.name))};
  }

 private:
  Sequence created_;
};

}  // namespace

OperationPtr resolve(const ast::CreateSequence& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& name = written.sequence.name;
  if (!before.schema_exists(name.schema)) {
    ctx.error(written.sequence.span, fmt::format("schema `{}` does not exist", name.schema),
              fmt::format("create it first: `create schema {}`", name.schema));
    return nullptr;
  }
  if (before.relation_exists(name)) {
    ctx.error(written.sequence.span,
              fmt::format("`{}` is already the name of a table, index, view or sequence",
                          name.display()));
    return nullptr;
  }
  Sequence created;
  created.name = name;
  created.version = ctx.version();
  const auto& span = written.sequence.span;
  if (!apply_sequence_options(before, written.options, created, span, ctx)) return nullptr;
  return std::make_unique<CreateSequenceOp>(std::move(created));
}

}  // namespace mig
