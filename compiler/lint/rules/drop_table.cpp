#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class DropTableRule final : public Rule {
 public:
  std::string_view id() const override { return "drop-table"; }
  std::string_view summary() const override {
    return "a table drop that breaks the running application and loses its rows";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    if (const auto* op = dynamic_cast<const DropTable*>(&view.op)) {
      if (ctx.is_new(op->table.name)) return;
      report(ctx, op->span, op->statement, op->table.name.display());
      return;
    }
    for (const auto& s : raw_statements(view.op)) {
      const auto* node = statement_node(s.tree, "DropStmt");
      if (!node || node->value("removeType", "") != "OBJECT_TABLE") continue;
      for (const auto& object : node->value("objects", nlohmann::json::array())) {
        const auto parts = string_list(
            object.value("List", nlohmann::json::object()).value("items", nlohmann::json::array()));
        if (parts.empty()) continue;
        const ObjectName table{parts.size() > 1 ? parts[0] : "public", parts.back()};
        if (!ctx.is_new(table)) report(ctx, s.span, view.op.statement, table.display());
      }
    }
  }

 private:
  static void report(const LintContext& ctx, Span span, int statement, const std::string& table) {
    ctx.report(span, statement,
               fmt::format("dropping `{}` breaks every running instance that still uses it, and "
                           "its rows are gone: the downgrade re-creates the table empty",
                           table),
               "first deploy code that no longer uses the table (and keep a backup of its rows "
               "if they may be needed), then drop it in a later migration; say so with "
               "`@allow(drop-table, \"no code uses it since ...\")`");
  }
};

}  // namespace

std::unique_ptr<Rule> make_DropTableRule() { return std::make_unique<DropTableRule>(); }

}  // namespace mig
