#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class LockingIndexDrop final : public Rule {
 public:
  std::string_view id() const override { return "locking-index-drop"; }
  std::string_view summary() const override {
    return "an index drop that takes ACCESS EXCLUSIVE on an existing table";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* drop = dynamic_cast<const DropIndex*>(&view.op)) {
      const auto* table = view.before.table_of_index(drop->index.name);
      if (drop->concurrently || !table || ctx.is_new(table->name)) return;
      const auto at = after_keyword(ctx.migration.source->text(), drop->span, "index");
      ctx.report(drop->span, drop->statement,
                 fmt::format("dropping index `{}` takes ACCESS EXCLUSIVE on `{}`: every read and "
                             "write of `{}` waits for the drop, and the drop waits for every "
                             "running query",
                             drop->index.name.name, table->name.display(), table->name.display()),
                 fmt::format("write `drop index concurrently {}`: it waits for running queries "
                             "without blocking new ones, and mig runs it alone, outside a "
                             "transaction",
                             ctx.text(drop->index.span)),
                 Fix::edit({*at, *at}, " concurrently", "added `concurrently`"));
      return;
    }
    for (const auto& s : raw_statements(view.op)) {
      const auto* node = statement_node(s.tree, "DropStmt");
      if (!node || node->value("removeType", "") != "OBJECT_INDEX" ||
          node->value("concurrent", false))
        continue;
      std::string on = "its table";
      std::vector<std::string> names;
      bool existing = true;
      for (const auto& object : node->value("objects", nlohmann::json::array())) {
        const auto parts = string_list(
            object.value("List", nlohmann::json::object()).value("items", nlohmann::json::array()));
        if (parts.empty()) continue;
        const ObjectName index{parts.size() > 1 ? parts[0] : "public", parts.back()};
        names.push_back(fmt::format("`{}`", index.name));
        if (const auto* t = view.before.table_of_index(index)) {
          existing = !ctx.is_new(t->name);
          on = fmt::format("`{}`", t->name.display());
        }
      }
      if (!existing) continue;
      const bool one_index = node->value("objects", nlohmann::json::array()).size() == 1;
      const bool can_add = one_index && !ctx.settings.raw_sql_in_one_transaction;
      const auto at = after_keyword(ctx.migration.source->text(), s.span, "index");
      std::optional<Fix> fix;
      if (can_add && at) fix = Fix::edit({*at, *at}, " CONCURRENTLY", "added `CONCURRENTLY`");
      ctx.report(
          s.span, view.op.statement,
          fmt::format("DROP INDEX {} takes ACCESS EXCLUSIVE on {}: every read and write of the "
                      "table waits for the drop, and the drop waits for every running query",
                      join(names, ", "), on),
          ctx.settings.raw_sql_in_one_transaction
              ? "write `DROP INDEX CONCURRENTLY` (one index per statement), in a file whose first "
                "line is `-- mig:no-transaction`: it cannot run inside a transaction"
              : "write `DROP INDEX CONCURRENTLY` (one index per statement): it waits for running "
                "queries without blocking new ones",
          fix);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_LockingIndexDrop() { return std::make_unique<LockingIndexDrop>(); }

}  // namespace mig
