#pragma once

// A lint rule sees each statement of a migration as what it does (its typed effects, the
// same whichever form it was written in) with the steps the runtime will execute for it,
// and each whole migration with the schema model it left.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "compiler/plan/compiler.hpp"

namespace mig {

struct LintSettings {
  int pg_version = 15;
};

// A mechanical fix: replace `span` of the migration's source with `text` (an empty span
// inserts), and, when `new_file` is set, also write a new migration after the last one,
// holding `new_file_text` (e.g. the `validate constraint` that must follow a `not valid`).
struct Fix {
  Span span;
  std::string text;
  std::string description;
  std::string new_file;  // e.g. "validate_users_org_fk": becomes NNNN_validate_users_org_fk.mig
  std::string new_file_text;

  static Fix edit(Span span, std::string text, std::string description) {
    Fix fix;
    fix.span = span;
    fix.text = std::move(text);
    fix.description = std::move(description);
    return fix;
  }
};

struct Finding {
  std::string rule;
  Severity severity = Severity::Warning;
  const SourceFile* file = nullptr;
  Span span;
  int statement = 0;
  std::string message;
  std::string help;
  std::optional<Fix> fix;
};

class Rule;

// Tables created earlier in the migration being linted (or by the statement itself): locks
// on them block nobody.
class NewTables {
 public:
  void add(const ObjectName& t) { tables_.insert(t); }
  bool contains(const ObjectName& t) const { return tables_.count(t) > 0; }
  void clear() { tables_.clear(); }

 private:
  std::set<ObjectName> tables_;
};

class LintContext {
 public:
  LintContext(const Rule& rule, const CompiledMigration& migration, const LintSettings& settings,
              const NewTables& new_tables, std::vector<Finding>& out)
      : migration(migration), settings(settings), rule_(rule), new_tables_(new_tables), out_(out) {}

  const CompiledMigration& migration;
  const LintSettings& settings;

  bool is_new(const ObjectName& table) const { return new_tables_.contains(table); }
  // An existing table: one that live traffic may be using while the migration runs.
  bool is_existing(const ObjectName& table) const { return !is_new(table); }
  std::string_view text(Span span) const { return migration.source->slice(span); }
  // The transaction a statement's first step runs in; nullopt: outside any.
  std::optional<int> transaction_of(const PlannedStatement& s) const {
    return s.first_step < s.end_step ? migration.plan.up[s.first_step].transaction : std::nullopt;
  }
  void report(Span span, int statement, std::string message, std::string help,
              std::optional<Fix> fix = std::nullopt) const;

 private:
  const Rule& rule_;
  const NewTables& new_tables_;
  std::vector<Finding>& out_;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view summary() const = 0;  // one line, for `mig explain`
  virtual Severity severity() const { return Severity::Warning; }
  // The hazard is a lock that stalls a table's traffic, which weighs more the bigger the
  // table (a scan or rewrite holds it longer): `mig lint --db` weighs its findings by the
  // table's size in a database.
  virtual bool grows_with_table() const { return false; }
  virtual void check(const LintContext&, const PlannedStatement&) const {}
  // After the whole migration, with the model it left.
  virtual void check_migration(const LintContext&, const SchemaModel&) const {}
};

// Calls `f` with each effect of type E of the statement.
template <class E, class F>
void each(const PlannedStatement& s, F&& f) {
  for (const auto& e : s.what.effects)
    if (const auto* effect = std::get_if<E>(&e)) f(*effect);
}

}  // namespace mig
