#include <algorithm>

#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// Whether `leading` (in some order) are the first keys of `keys`.
bool leads(const std::vector<std::string>& keys, std::vector<std::string> leading) {
  if (keys.size() < leading.size()) return false;
  std::vector<std::string> prefix(keys.begin(), keys.begin() + leading.size());
  std::sort(prefix.begin(), prefix.end());
  std::sort(leading.begin(), leading.end());
  return prefix == leading;
}

// A partial index serves the lookups of a foreign key when its predicate only excludes
// NULL keys (`where user_id is not null`): `user_id = $1` implies it.
bool serves_lookups(const std::string& where, const std::vector<std::string>& columns) {
  if (where.empty()) return true;
  std::string normal;
  for (char c : where) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!normal.empty() && normal.back() != ' ') normal += ' ';
    } else {
      normal += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!normal.empty() && normal.back() == ' ') normal.pop_back();
  return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) {
    return normal == c + " is not null" || normal == "(" + c + " is not null)";
  });
}

bool indexed(const Table& t, const std::vector<std::string>& columns) {
  for (const auto& c : t.constraints)
    if ((c.kind == ConstraintKind::PrimaryKey || c.kind == ConstraintKind::Unique) &&
        leads(c.columns, columns))
      return true;
  for (const auto& i : t.indexes) {
    if (!serves_lookups(i.where, columns) || !(i.method.empty() || i.method == "btree")) continue;
    std::vector<std::string> keys;
    for (const auto& k : i.keys) {
      if (!k.column) break;  // an expression key ends the usable prefix
      keys.push_back(*k.column);
    }
    if (leads(keys, columns)) return true;
  }
  return false;
}

class FkWithoutIndex final : public Rule {
 public:
  std::string_view id() const override { return "fk-without-index"; }
  std::string_view summary() const override {
    return "a foreign key whose referencing columns have no index";
  }

  void check_migration(const LintContext& ctx, const SchemaModel& after) const override {
    for (const auto& s : ctx.migration.statements)
      each<ConstraintAdded>(s, [&](const ConstraintAdded& e) {
        if (e.kind != ConstraintKind::ForeignKey) return;
        const auto* t = after.find_table(e.table);
        if (!t) return;  // dropped again, or made by raw SQL the model does not follow
        for (const auto& c : t->constraints)
          if (c.kind == ConstraintKind::ForeignKey && c.version == ctx.migration.version &&
              (c.name == e.name || (e.name.empty() && c.columns == e.columns)) &&
              !indexed(*t, c.columns))
            report(ctx, s, *t, c);
      });
  }

 private:
  static void report(const LintContext& ctx, const PlannedStatement& s, const Table& t,
                     const Constraint& c) {
    const auto index = fmt::format("{}_{}_idx", t.name.name, join(c.columns, "_"));
    const bool is_new = ctx.is_new(t.name);
    ctx.report(
        span_of_name(ctx, s, c.columns.front()), s.what.statement,
        fmt::format("foreign key `{}` of `{}` {} has no index that starts with its columns: "
                    "every delete of a row of `{}`, and every update of its key, scans `{}` "
                    "for rows that reference it",
                    c.name, t.name.display(), column_list(c.columns), c.references->table.display(),
                    t.name.display()),
        fmt::format("index the referencing columns{}:\n    create index {}{} on {} {}",
                    is_new ? " in this migration (the table is new, so no `concurrently`)" : "",
                    is_new ? "" : "concurrently ", index, written(t.name), column_list(c.columns)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_FkWithoutIndex() { return std::make_unique<FkWithoutIndex>(); }

}  // namespace mig
