#include <map>

#include "compiler/lint/lint_support.hpp"
#include "compiler/model/partition_bound.hpp"
#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/quote.hpp"

namespace mig {

namespace {

using nlohmann::json;

// The valid check expressions of `table` that earlier statements of the migration added
// or validated (raw SQL does not change the model; the model's own are in `scans` already).
std::vector<json> checks_made_earlier(const LintContext& ctx, const PlannedStatement& s,
                                      const ObjectName& table) {
  std::map<std::string, json> valid, pending;
  int unnamed = 0;
  for (const auto& earlier : ctx.migration.statements) {
    if (&earlier == &s) break;
    for (const auto& effect : earlier.what.effects) {
      if (const auto* a = std::get_if<ConstraintAdded>(&effect);
          a && a->table == table && !a->check.is_null() && !a->check.empty()) {
        const auto name = a->name.empty() ? fmt::format("#{}", ++unnamed) : a->name;
        (a->validated ? valid : pending)[name] = a->check;
      }
      if (const auto* v = std::get_if<ConstraintValidated>(&effect); v && v->table == table) {
        if (const auto p = pending.find(v->name); p != pending.end())
          valid[v->name] = p->second;
        else if (!v->check.is_null() && !v->check.empty())
          valid[v->name] = v->check;
      }
      if (const auto* d = std::get_if<ConstraintDropped>(&effect); d && d->table == table) {
        valid.erase(d->name);
        pending.erase(d->name);
      }
    }
  }
  std::vector<json> out;
  for (auto& [name, check] : valid) out.push_back(std::move(check));
  return out;
}

bool attach_scans(const LintContext& ctx, const PlannedStatement& s, const PartitionAttached& e) {
  if (!e.scans) return false;
  const auto checks = checks_made_earlier(ctx, s, e.partition);
  if (e.key_column) return !checks_imply_bound(checks, *e.key_column, e.bound);
  // A plain .sql file does not say the key: any column the checks bound will do.
  for (const auto& check : checks)
    for (const auto& column : column_refs(check))
      if (checks_imply_bound(checks, column, e.bound)) return false;
  return true;
}

// A constant of a bound as SQL: 42, 'text'; `...` for anything else.
std::string constant(const json& datum) {
  const auto* c = datum.contains("A_Const") ? &datum["A_Const"] : nullptr;
  if (!c) return "...";
  if (c->contains("ival")) return std::to_string((*c)["ival"].value("ival", 0));
  if (c->contains("fval")) return (*c)["fval"].value("fval", "0");
  if (c->contains("sval")) return quote_literal((*c)["sval"].value("sval", ""));
  return "...";
}

// The check that proves the bound, as `.mig` / SQL writes it, or empty when mig cannot say.
std::string proving_check(const PartitionAttached& e, bool sql) {
  const auto column = e.key_column ? written(*e.key_column) : std::string("KEY");
  const auto strategy = e.bound.value("strategy", "");
  if (strategy == "r") {
    const auto& lower = e.bound.value("lowerdatums", json::array());
    const auto& upper = e.bound.value("upperdatums", json::array());
    if (lower.size() != 1 || upper.size() != 1) return "";
    return fmt::format("{} >= {} {} {} < {}", column, constant(lower[0]), sql ? "AND" : "and",
                       column, constant(upper[0]));
  }
  if (strategy == "l") {
    std::vector<std::string> values;
    for (const auto& v : e.bound.value("listdatums", json::array())) values.push_back(constant(v));
    return fmt::format("{} {} ({})", column, sql ? "IN" : "in", join(values, ", "));
  }
  return "";
}

class AttachPartitionScan final : public Rule {
 public:
  std::string_view id() const override { return "attach-partition-scan"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "`attach partition` that scans an existing table under ACCESS EXCLUSIVE";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<PartitionAttached>(s, [&](const PartitionAttached& e) {
      if (!e.created && ctx.is_existing(e.partition) && attach_scans(ctx, s, e)) report(ctx, s, e);
    });
  }

 private:
  static void report(const LintContext& ctx, const PlannedStatement& s,
                     const PartitionAttached& e) {
    const bool mig = s.what.form == Form::Mig;
    const auto partition = written(e.partition);
    const auto parent = written(e.table);
    const auto check_name = written(e.partition.name + "_bound");
    const auto check = proving_check(e, !mig);
    const auto expression = check.empty() ? std::string(mig ? "a check matching the bound"
                                                            : "A CHECK MATCHING THE BOUND")
                                          : check;
    std::string help;
    if (e.bound.value("strategy", "") == "h" || e.bound.value("is_default", false))
      help =
          "PostgreSQL proves a hash or default bound only by scanning: attach it while the "
          "table is small, or when traffic is low";
    else if (mig)
      help = fmt::format(
          "prove the rows fit the bound first; PostgreSQL then skips the scan:\n"
          "    alter table {} add check {} ({}) not valid\n"
          "  and in a later migration (the validation scans under SHARE UPDATE EXCLUSIVE):\n"
          "    alter table {} validate constraint {}\n"
          "    alter table {} attach partition {} ...\n"
          "    alter table {} drop constraint {}",
          partition, check_name, expression, partition, check_name, parent, partition, partition,
          check_name);
    else
      help = fmt::format(
          "prove the rows fit the bound first; PostgreSQL then skips the scan:\n"
          "    ALTER TABLE {} ADD CONSTRAINT {} CHECK ({}) NOT VALID;\n"
          "  and in a later migration (the validation scans under SHARE UPDATE EXCLUSIVE):\n"
          "    ALTER TABLE {} VALIDATE CONSTRAINT {};\n"
          "    ALTER TABLE {} ATTACH PARTITION {} ...;\n"
          "    ALTER TABLE {} DROP CONSTRAINT {};",
          partition, check_name, expression, partition, check_name, parent, partition, partition,
          check_name);
    ctx.report(s.what.span, s.what.statement,
               fmt::format("attaching `{}` checks every row of it against the bound while "
                           "holding ACCESS EXCLUSIVE on it: every read and write of `{}` waits "
                           "for the scan",
                           e.partition.display(), e.partition.display()),
               help);
  }
};

}  // namespace

std::unique_ptr<Rule> make_AttachPartitionScan() { return std::make_unique<AttachPartitionScan>(); }

}  // namespace mig
