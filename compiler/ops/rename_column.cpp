#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/ops/view_renames.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

class RenameColumnOp final : public Operation {
 public:
  explicit RenameColumnOp(const ast::RenameColumn& written) : written_(written) {}
  std::string describe() const override;
  void apply(SchemaModel&, int version) const override;
  std::vector<PlanStep> up(const SchemaModel& before) const override;
  std::vector<PlanStep> down(const SchemaModel& before) const override;

 private:
  const ast::RenameColumn& written_;
};

}  // namespace

std::string RenameColumnOp::describe() const {
  return fmt::format("rename column {} of {} to {}", written_.column.value,
                     written_.table.name.display(), written_.new_name.value);
}

// Keeps the model's stored expressions (checks, index keys and predicates, generated
// columns, policies) and key lists in step with the new name, as PostgreSQL does for the
// real objects.
void RenameColumnOp::apply(SchemaModel& model, int version) const {
  const auto& from = written_.column.value;
  const auto& to = written_.new_name.value;
  follow_column_rename(model, written_.table.name, from, to, version);
  for (const auto* s : model.sequences_owned_by(written_.table.name, from)) {
    auto owned = *s;
    owned.owned_by->column = to;
    model.put_sequence(std::move(owned));
  }
  auto rename_in = [&](std::vector<std::string>& names) {
    for (auto& n : names)
      if (n == from) n = to;
  };
  const auto rename_keys = [&](std::vector<IndexKey>& keys, std::string& where) {
    for (auto& k : keys) {
      if (k.column == from) {
        k.column = to;
        k.sql = k.sql == quote_ident(from)
                    ? quote_ident(to)
                    : rename_column_refs("CREATE INDEX i ON t (", k.sql, ")", from, to);
      } else if (!k.column) {
        k.sql = rename_column_refs("CREATE INDEX i ON t (", k.sql, ")", from, to);
      }
    }
    if (!where.empty())
      where = rename_column_refs("CREATE INDEX i ON t (x) WHERE ", where, "", from, to);
  };
  model.edit_table(written_.table.name, [&](Table& t) {
    t.find_column(from)->name = to;
    for (auto& c : t.columns)
      if (c.generated) {
        rename_in(c.generated->columns);
        c.generated->expression =
            rename_column_refs("ALTER TABLE t ADD CHECK (", c.generated->expression, ")", from, to);
      }
    for (auto& p : t.row_security.policies) {
      rename_in(p.columns);
      p.clauses = rename_column_refs("CREATE POLICY p ON t ", p.clauses, "", from, to);
    }
    for (auto& c : t.constraints) {
      rename_in(c.columns);
      if (c.references) rename_in(c.references->set_columns);
      if (c.exclusion) rename_keys(c.exclusion->keys, c.exclusion->where);
      if (c.kind == ConstraintKind::Check)
        c.check = rename_column_refs("ALTER TABLE t ADD CHECK (", c.check, ")", from, to);
    }
    for (auto& i : t.indexes) {
      rename_keys(i.keys, i.where);
      rename_in(i.include);
    }
  });
  model.edit_tables_referencing(written_.table.name, [&](Table& other) {
    for (auto& c : other.constraints)
      if (c.references && c.references->table == written_.table.name)
        rename_in(c.references->columns);
  });
}

std::vector<PlanStep> RenameColumnOp::up(const SchemaModel&) const {
  return {step(describe(),
               alter_table_sql(written_.table.name,
                               fmt::format("RENAME COLUMN {} TO {}", Ident{written_.column.value},
                                           Ident{written_.new_name.value})))};
}

std::vector<PlanStep> RenameColumnOp::down(const SchemaModel&) const {
  return {step(fmt::format("rename column {} of {} back to {}", written_.new_name.value,
                           written_.table.name.display(), written_.column.value),
               alter_table_sql(written_.table.name,
                               fmt::format("RENAME COLUMN {} TO {}", Ident{written_.new_name.value},
                                           Ident{written_.column.value})))};
}

OperationPtr resolve(const ast::RenameColumn& written, const SchemaModel& before,
                     CheckContext& ctx) {
  const auto* t = require_table(before, written.table, ctx);
  if (!t || !require_column(*t, written.column, ctx)) return nullptr;
  if (t->find_column(written.new_name.value)) {
    ctx.error(written.new_name.span,
              fmt::format("column `{}` already exists in table `{}`", written.new_name.value,
                          written.table.name.display()));
    return nullptr;
  }
  if (!require_no_trigger_naming(
          *t, written.column.value, "rename",
          "mig keeps a trigger's definition as written: drop trigger {} before the rename and "
          "create it again after it",
          written.column.span, ctx))
    return nullptr;
  return std::make_unique<RenameColumnOp>(written);
}

}  // namespace mig
