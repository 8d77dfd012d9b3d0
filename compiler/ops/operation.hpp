#pragma once

// An operation is one thing a migration does (add a column, build an index, ...), resolved
// against the schema model before it (compiler/ops/operations.hpp: resolve). Each knows its
// whole story: how it changes the model, its upgrade and downgrade steps (the downgrade
// derived from the model before it) and whether it can be reverted.

#include <memory>
#include <string>
#include <vector>

#include "compiler/parse/ast.hpp"
#include "plan/plan.hpp"

namespace mig {

class CheckContext {
 public:
  CheckContext(const SourceFile& file, int version, Diagnostics& out)
      : file_(file), version_(version), out_(out) {}
  int version() const { return version_; }
  void error(Span span, std::string message, std::string help = {});
  int errors() const { return errors_; }
  std::string_view file_text(Span span) const { return file_.slice(span); }

 private:
  const SourceFile& file_;
  int version_;
  Diagnostics& out_;
  int errors_ = 0;
};

struct Reversal {
  Reversibility reversibility = Reversibility::Reversible;
  std::string note;  // why lossy or irreversible
};

class Operation {
 public:
  virtual ~Operation() = default;

  virtual std::string describe() const = 0;
  // Each is called with the model the operation was resolved against, but `apply`, which
  // changes it.
  virtual void apply(SchemaModel&, int version) const = 0;
  // Steps come with `transaction` 0 when they run inside a transaction (the planner numbers
  // them) and nullopt when they must run alone.
  virtual std::vector<PlanStep> up(const SchemaModel& before) const = 0;
  virtual std::vector<PlanStep> down(const SchemaModel& before) const = 0;
  virtual Reversal reversal(const SchemaModel&) const { return {}; }
  // Raw SQL, whose every upgrade (downgrade) step is one of its statements, in order;
  // nullptr when all steps are this operation's.
  virtual const ast::RawSql* written_sql() const { return nullptr; }
};

}  // namespace mig
