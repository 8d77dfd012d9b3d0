#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/sequence_support.hpp"

namespace mig {

namespace {

bool any_option(const ast::SequenceOptions& o) {
  return o.increment || o.minvalue || o.maxvalue || o.start || o.cache || o.cycle || o.owned_by;
}

// ALTER SEQUENCE with the written options; the downgrade sets them back to what they were.
// A sequence of an identity or serial column is only restarted (`before` is nullopt): the
// model does not keep its options.
class AlterSequenceOp final : public Operation {
 public:
  AlterSequenceOp(const ast::AlterSequence& written, ObjectName name,
                  std::optional<Sequence> before, std::optional<Sequence> after,
                  std::optional<std::int64_t> restart_with)
      : written_(written),
        name_(std::move(name)),
        before_(std::move(before)),
        after_(std::move(after)),
        restart_with_(restart_with) {}
  std::string describe() const override {
    return fmt::format("alter sequence {}", name_.display());
  }
  void apply(SchemaModel& model, int) const override {
    if (after_) model.put_sequence(*after_);
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    std::string clauses;
    if (written_.restart)
      clauses = restart_with_ ? fmt::format("RESTART WITH {}", *restart_with_) : "RESTART";
    if (after_ && any_option(written_.options))
      clauses += (clauses.empty() ? "" : " ") + sequence_clauses(*after_, written_.options);
    return {step(describe(), fmt::format("ALTER SEQUENCE {} {}", name_, clauses))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    if (!before_ || !any_option(written_.options)) return {};
    return {step(
        fmt::format("restore the options of sequence {}", name_.display()),
        fmt::format("ALTER SEQUENCE {} {}", name_, sequence_clauses(*before_, written_.options)))};
  }
  Reversal reversal(const SchemaModel&) const override {
    if (!written_.restart) return {};
    return {Reversibility::Lossy,
            fmt::format("the downgrade cannot put sequence `{}` back where it was before the "
                        "restart: that value is data",
                        name_.display())};
  }

 private:
  const ast::AlterSequence& written_;
  ObjectName name_;
  std::optional<Sequence> before_;
  std::optional<Sequence> after_;
  std::optional<std::int64_t> restart_with_;
};

}  // namespace

OperationPtr resolve(const ast::AlterSequence& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& name = written.sequence.name;
  const auto* sequence = before.find_sequence(name);
  if (!sequence) {
    const auto help = column_sequence_help(before, name);
    if (help.empty()) {
      ctx.error(written.sequence.span, fmt::format("sequence `{}` does not exist", name.display()));
      return nullptr;
    }
    if (any_option(written.options)) {
      ctx.error(written.sequence.span,
                fmt::format("only `restart` is in the language for sequence `{}`: {}",
                            name.display(), help),
                "change its other options with `sql { } down { }`");
      return nullptr;
    }
    std::optional<std::int64_t> restart_with;
    if (written.restart_with && !(restart_with = sequence_number(*written.restart_with, ctx)))
      return nullptr;
    return std::make_unique<AlterSequenceOp>(written, name, std::nullopt, std::nullopt,
                                             restart_with);
  }
  auto after = *sequence;
  if (!apply_sequence_options(before, written.options, after, written.sequence.span, ctx))
    return nullptr;
  std::optional<std::int64_t> restart_with;
  if (written.restart_with && !(restart_with = restart_value(after, *written.restart_with, ctx)))
    return nullptr;
  return std::make_unique<AlterSequenceOp>(written, name, *sequence, std::move(after),
                                           restart_with);
}

}  // namespace mig
