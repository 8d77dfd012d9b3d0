#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"

namespace mig {

namespace {

// `set logged` writes the whole table to the WAL; both rewrite it under an ACCESS EXCLUSIVE
// lock (the plan's lock facts say so, from the SQL).
class SetLoggedOp final : public Operation {
 public:
  explicit SetLoggedOp(const ast::SetLogged& written) : written_(written) {}
  std::string describe() const override { return described(written_.logged); }
  void apply(SchemaModel& model, int) const override {
    model.edit_table(written_.table.name, [&](Table& t) { t.unlogged = !written_.logged; });
  }
  std::vector<PlanStep> up(const SchemaModel&) const override { return {change(written_.logged)}; }
  std::vector<PlanStep> down(const SchemaModel&) const override {
    return {change(!written_.logged)};
  }

 private:
  std::string described(bool logged) const {
    return fmt::format("make {} {}", written_.table.name.display(), logged ? "logged" : "unlogged");
  }
  PlanStep change(bool logged) const {
    return step(described(logged),
                alter_table_sql(written_.table.name, logged ? "SET LOGGED" : "SET UNLOGGED"));
  }

  const ast::SetLogged& written_;
};

}  // namespace

OperationPtr resolve(const ast::SetLogged& written, const SchemaModel& before, CheckContext& ctx) {
  const auto* table = require_table(before, written.table, ctx);
  if (!table) return nullptr;
  const auto name = table->name.display();
  const int errors_before = ctx.errors();
  if (table->unlogged != written.logged) {
    ctx.error(written.table.span,
              fmt::format("table `{}` is already {}", name, written.logged ? "logged" : "unlogged"),
              "the statement would change nothing, and its downgrade would undo what an earlier "
              "migration did");
    return nullptr;
  }
  // PostgreSQL empties an unlogged table after a crash: no logged table may reference one.
  if (written.logged) {
    for (const auto& c : table->constraints)
      if (c.references && c.references->table != table->name)
        if (const auto* target = before.find_table(c.references->table); target && target->unlogged)
          ctx.error(written.table.span,
                    fmt::format("foreign key `{}` of `{}` references unlogged table `{}`", c.name,
                                name, target->name.display()),
                    "a logged table may reference only logged tables: make that one logged first");
  } else {
    for (const auto& [other, c] : before.foreign_keys_to(table->name))
      if (other->name != table->name && !other->unlogged)
        ctx.error(written.table.span,
                  fmt::format("foreign key `{}` of logged table `{}` references `{}`", c->name,
                              other->name.display(), name),
                  "a logged table may reference only logged tables: drop that foreign key or "
                  "make its table unlogged first");
  }
  if (ctx.errors() != errors_before) return nullptr;
  return std::make_unique<SetLoggedOp>(written);
}

}  // namespace mig
