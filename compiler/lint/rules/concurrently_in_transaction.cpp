#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// "CREATE INDEX CONCURRENTLY" when the statement must run outside a transaction block.
std::optional<std::string> concurrent_statement(const nlohmann::json& tree) {
  if (const auto* n = statement_node(tree, "IndexStmt"); n && n->value("concurrent", false))
    return "CREATE INDEX CONCURRENTLY";
  if (const auto* n = statement_node(tree, "DropStmt");
      n && n->value("concurrent", false) && n->value("removeType", "") == "OBJECT_INDEX")
    return "DROP INDEX CONCURRENTLY";
  if (const auto* n = statement_node(tree, "ReindexStmt"))
    for (const auto& p : n->value("params", nlohmann::json::array()))
      if (p.value("DefElem", nlohmann::json::object()).value("defname", "") == "concurrently")
        return "REINDEX CONCURRENTLY";
  return std::nullopt;
}

class ConcurrentlyInTransaction final : public Rule {
 public:
  std::string_view id() const override { return "concurrently-in-transaction"; }
  std::string_view summary() const override {
    return "a CONCURRENTLY statement in a plain SQL file that runs in one transaction";
  }

  void check(const LintContext& ctx, const OperationView& view) const override {
    // In .mig files mig plans such statements alone, outside any transaction.
    if (!ctx.settings.raw_sql_in_one_transaction) return;
    for (const auto& s : raw_statements(view.op)) {
      const auto what = concurrent_statement(s.tree);
      if (!what) continue;
      ctx.report(s.span, view.op.statement,
                 fmt::format("{} cannot run inside a transaction block, and this file runs in one "
                             "transaction: PostgreSQL rejects it and the migration fails",
                             *what),
                 "make `-- mig:no-transaction` the file's first line: mig then runs this "
                 "statement alone and the others in transactions; or write the migration in "
                 ".mig, where mig plans it alone");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ConcurrentlyInTransaction() {
  return std::make_unique<ConcurrentlyInTransaction>();
}

}  // namespace mig
