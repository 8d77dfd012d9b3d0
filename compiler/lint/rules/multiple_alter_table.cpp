#include <map>

#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// The table an `alter table` action changes, or nullptr for other operations.
const TableRef* altered_table(const Operation& op) {
  if (const auto* o = dynamic_cast<const AddColumn*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const DropColumn*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const RenameColumn*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const AlterColumnType*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const SetNotNull*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const DropNotNull*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const SetDefault*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const DropDefault*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const AddConstraint*>(&op)) return &o->table;
  if (const auto* o = dynamic_cast<const DropConstraint*>(&op)) return &o->table;
  // `validate constraint` is left out: it belongs in a transaction of its own.
  return nullptr;
}

struct Statement {
  int statement = 0;
  std::size_t raw_index = 0;  // which statement of a `sql { }` block; 0 for .mig
  Span span;
  std::string action;  // the .mig action, empty for raw SQL
};

class MultipleAlterTable final : public Rule {
 public:
  std::string_view id() const override { return "multiple-alter-table"; }
  std::string_view summary() const override {
    return "several separate `alter table` statements on one existing table";
  }

  void check_migration(const LintContext& ctx, const SchemaModel&) const override {
    std::map<ObjectName, std::vector<Statement>> by_table;
    std::vector<ObjectName> order;
    auto add = [&](const ObjectName& table, Statement s) {
      if (ctx.is_new(table)) return;
      auto& list = by_table[table];
      if (list.empty()) order.push_back(table);
      if (!list.empty() && list.back().statement == s.statement &&
          list.back().raw_index == s.raw_index) {
        if (!s.action.empty()) list.back().action += "\n" + s.action;
        return;
      }
      list.push_back(std::move(s));
    };
    for (const auto& op : ctx.migration.parsed.operations) {
      if (const auto* table = altered_table(*op)) {
        add(table->name, {op->statement, 0, op->span, action_text(ctx, *op, *table)});
        continue;
      }
      const auto& raw = raw_statements(*op);
      for (std::size_t i = 0; i < raw.size(); ++i)
        if (const auto* node = statement_node(raw[i].tree, "AlterTableStmt"))
          add(relation_of((*node)["relation"]), {op->statement, i + 1, raw[i].span, {}});
    }
    for (const auto& table : order) {
      const auto& list = by_table[table];
      if (list.size() < 2) continue;
      std::string block;
      bool all_mig = true;
      for (const auto& s : list) {
        all_mig &= !s.action.empty();
        std::size_t start = 0;
        for (auto end = s.action.find('\n'); start <= s.action.size();
             end = s.action.find('\n', start)) {
          block += "      " + s.action.substr(start, end - start) + "\n";
          if (end == std::string::npos) break;
          start = end + 1;
        }
      }
      const auto first_line = line_of(ctx, list.front().span.begin);
      const auto name = table.schema == "public" ? table.name : table.display();
      for (std::size_t i = 1; i < list.size(); ++i)
        ctx.report(
            list[i].span, list[i].statement,
            fmt::format("`{}` is altered again by a separate statement (first at line {}): "
                        "each one takes ACCESS EXCLUSIVE on `{}`, which is then held through "
                        "whatever runs between them, or taken again if a step outside a "
                        "transaction comes between",
                        table.display(), first_line, table.display()),
            all_mig ? fmt::format("write the changes as one block, one action per line, right "
                                  "after each other:\n    alter table {} {{\n{}    }}",
                                  name, block)
                    : "put the changes to the table together, in one ALTER TABLE statement "
                      "with several actions (or one `alter table { }` block in .mig)");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_MultipleAlterTable() { return std::make_unique<MultipleAlterTable>(); }

}  // namespace mig
