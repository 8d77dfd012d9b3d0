#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

class DropSequenceOp final : public Operation {
 public:
  explicit DropSequenceOp(Sequence dropped) : dropped_(std::move(dropped)) {}
  std::string describe() const override {
    return fmt::format("drop sequence {}", dropped_.name.display());
  }
  void apply(SchemaModel& model, int) const override { model.remove_sequence(dropped_.name); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), fmt::format("DROP SEQUENCE {}", dropped_.name))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    auto steps = create_owned_sequences({&dropped_});
    if (dropped_.owned_by)
      for (auto& s : own_sequences({&dropped_})) steps.push_back(std::move(s));
    return steps;
  }
  // The compiler never sees data: it cannot know how far the sequence had got.
  Reversal reversal(const SchemaModel&) const override {
    return {Reversibility::Lossy,
            fmt::format("the downgrade re-creates sequence `{}` at its start value, not at the "
                        "value it had reached",
                        dropped_.name.display())};
  }

 private:
  Sequence dropped_;
};

}  // namespace

OperationPtr resolve(const ast::DropSequence& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& name = written.sequence.name;
  const auto* sequence = before.find_sequence(name);
  if (!sequence) {
    ctx.error(written.sequence.span, fmt::format("sequence `{}` does not exist", name.display()),
              column_sequence_help(before, name));
    return nullptr;
  }
  const auto users = before.defaults_using(name);
  for (const auto& [table, column] : users)
    ctx.error(written.sequence.span,
              fmt::format("sequence `{}` is used by the default of column `{}.{}`", name.display(),
                          table->name.display(), column->name),
              "drop or change that default first");
  if (!users.empty()) return nullptr;
  return std::make_unique<DropSequenceOp>(*sequence);
}

}  // namespace mig
