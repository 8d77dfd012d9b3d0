#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class RenameConstraintOp final : public Operation {
 public:
  explicit RenameConstraintOp(const ast::RenameConstraint& written) : written_(written) {}

  std::string describe() const override {
    return fmt::format("rename constraint {} of {} to {}", written_.name.value,
                       written_.table.name.display(), written_.new_name.value);
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(written_.table.name, [&](Table& t) {
      t.find_constraint(written_.name.value)->name = written_.new_name.value;
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {rename(describe(), written_.name.value, written_.new_name.value)};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {rename(fmt::format("rename constraint {} of {} back to {}", written_.new_name.value,
                               written_.table.name.display(), written_.name.value),
                   written_.new_name.value, written_.name.value)};
  }

 private:
  PlanStep rename(std::string description, const std::string& from, const std::string& to) const {
    return step(std::move(description),
                alter_table_sql(written_.table.name,
                                fmt::format("RENAME CONSTRAINT {} TO {}", Ident{from}, Ident{to})));
  }

  const ast::RenameConstraint& written_;
};

}  // namespace

// A primary key, unique or exclusion constraint's index has the constraint's name, and PostgreSQL
// renames both: the new name must be free among the schema's relations too.
OperationPtr resolve(const ast::RenameConstraint& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  const auto* c = t ? require_constraint(*t, written.name, ctx) : nullptr;
  if (!c) return nullptr;
  const auto& to = written.new_name.value;
  const bool indexed = owns_index(*c);
  if (t->find_constraint(to)) {
    ctx.error(written.new_name.span,
              fmt::format("table `{}` already has a constraint `{}`", t->name.display(), to));
    return nullptr;
  }
  if (indexed && before.relation_exists({t->name.schema, to})) {
    ctx.error(written.new_name.span,
              fmt::format("`{}` is already the name of a table or index in schema `{}`", to,
                          t->name.schema),
              fmt::format("constraint `{}` is backed by an index of the same name", c->name));
    return nullptr;
  }
  return std::make_unique<RenameConstraintOp>(written);
}

}  // namespace mig
