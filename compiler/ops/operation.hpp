#pragma once

// An operation is one thing a migration does (add a column, build an index, ...). Each
// knows its whole story: how it is checked against and changes the schema model, its
// upgrade and downgrade steps (the downgrade derived from the model before it), whether
// it can be reverted, and the locks its steps take.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/model/schema_model.hpp"
#include "compiler/source/diagnostic.hpp"
#include "plan/plan.hpp"

namespace mig {

// ---- what the parser read, with places in the source

struct NameRef {
  std::string value;  // unquoted, bare names folded to lower case
  Span span;
};

struct TableRef {
  ObjectName name;
  Span span;
};

// A piece of SQL (expression, type, predicate) as written, already checked by
// PostgreSQL's parser in the statement it will be emitted in; `tree` is that parse.
struct SqlFragment {
  std::string text;
  Span span;
  nlohmann::json tree;
};

struct ReferenceSpec {
  TableRef table;
  std::vector<NameRef> columns;  // empty: the referenced table's primary key
  std::string on_delete;         // SQL action or empty
  std::string on_update;
  Span span;
};

struct ColumnSpec {
  NameRef name;
  SqlFragment type;
  bool not_null = false;
  std::optional<SqlFragment> default_expr;
  bool primary_key = false;
  bool unique = false;
  std::optional<SqlFragment> check;
  std::optional<ReferenceSpec> references;
  Identity identity = Identity::None;
  Span span;
};

struct ConstraintSpec {
  ConstraintKind kind = ConstraintKind::Check;
  std::optional<NameRef> name;
  std::vector<NameRef> columns;
  std::optional<SqlFragment> check;
  std::optional<ReferenceSpec> references;
  std::optional<TableRef> using_index;
  bool not_valid = false;
  Span span;
};

// ---- checking

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
  // Reports what is wrong against the model before the operation; false if anything was.
  // Otherwise the operation keeps what it resolved to (a table, a constraint) for apply, up
  // and down, which are then called with that same model.
  virtual bool check(const SchemaModel& before, CheckContext&) = 0;
  virtual void apply(SchemaModel&, int version) const = 0;
  // Steps come with `transaction` 0 when they run inside a transaction (the planner numbers
  // them) and nullopt when they must run alone.
  virtual std::vector<PlanStep> up(const SchemaModel& before) const = 0;
  virtual std::vector<PlanStep> down(const SchemaModel& before) const = 0;
  virtual Reversal reversal(const SchemaModel&) const { return {}; }
  // Where each upgrade step was written, when each is a statement of its own (raw SQL);
  // empty: all steps are this operation's.
  virtual std::vector<Span> step_spans() const { return {}; }

  Span span;          // the statement, or the action inside an `alter table { }` block
  int statement = 0;  // index of its statement in the file (one alter block: one statement)
};

using Operations = std::vector<std::unique_ptr<Operation>>;

}  // namespace mig
