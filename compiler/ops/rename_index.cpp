#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

class RenameIndexOp final : public Operation {
 public:
  explicit RenameIndexOp(const ast::RenameIndex& written) : written_(written) {}

  std::string describe() const override {
    return fmt::format("rename index {} to {}", written_.index.name.display(), new_name().name);
  }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(model.table_of_index(written_.index.name)->name, [&](Table& t) {
      for (auto& i : t.indexes)
        if (i.name == written_.index.name.name) i.name = new_name().name;
    });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), rename_sql(written_.index.name, new_name().name))};
  }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {step(
        fmt::format("rename index {} back to {}", new_name().display(), written_.index.name.name),
        rename_sql(new_name(), written_.index.name.name))};
  }

 private:
  // A rename keeps the index in its schema.
  ObjectName new_name() const { return {written_.index.name.schema, written_.new_name.name.name}; }
  static std::string rename_sql(const ObjectName& index, const std::string& to) {
    return fmt::format("ALTER INDEX {} RENAME TO {}", index, Ident{to});
  }

  const ast::RenameIndex& written_;
};

}  // namespace

OperationPtr resolve(const ast::RenameIndex& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto& index = written.index.name;
  if (!before.table_of_index(index)) {
    if (const auto* t = before.table_of_constraint_index(index))
      ctx.error(written.index.span,
                fmt::format("index `{}` belongs to constraint `{}` of table `{}`", index.display(),
                            index.name, t->name.display()),
                fmt::format("rename the constraint, and its index with it: `alter table {} "
                            "rename constraint {} to ...`",
                            t->name.display(), index.name));
    else
      ctx.error(written.index.span, fmt::format("index `{}` does not exist", index.display()));
    return nullptr;
  }
  if (!require_relation_rename(before, index, written.new_name, "an index", ctx)) return nullptr;
  return std::make_unique<RenameIndexOp>(written);
}

}  // namespace mig
