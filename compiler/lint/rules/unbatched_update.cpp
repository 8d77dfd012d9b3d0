#include <regex>

#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

class UnbatchedUpdate final : public Rule {
 public:
  std::string_view id() const override { return "unbatched-update"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "an UPDATE or DELETE of an existing table in one statement";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    each<RowsChanged>(s, [&](const RowsChanged& e) {
      const bool update = e.how == RowChange::Update;
      if (e.batched || e.bookkeeping || ctx.is_new(e.table) ||
          !(update || e.how == RowChange::Delete))
        return;
      ctx.report(
          s.what.span, s.what.statement,
          fmt::format("this {} of `{}` runs as one statement in one transaction: it locks every "
                      "row it changes until it commits, so application writes to those rows "
                      "wait, and on a large table it holds them for minutes",
                      update ? "UPDATE" : "DELETE", e.table.display()),
          update ? backfill_help(std::string(ctx.text(s.what.span)), e.table)
                 : "delete in batches of a few thousand rows, each in its own transaction, "
                   "from a job outside the migration; or, for a small table, say so with "
                   "`@allow(unbatched-update, \"...\")`");
    });
  }

 private:
  // `backfill TABLE set ... where ... batch 1000`, from a simple UPDATE's text.
  static std::string backfill_help(const std::string& sql, const ObjectName& table) {
    static const std::regex simple(R"(^\s*update\s+\S+\s+set\s+([\s\S]+?)(\s+where\s+([\s\S]+))?$)",
                                   std::regex::icase);
    std::smatch m;
    const auto name = table.schema == "public" ? table.name : table.display();
    // std::regex recurses per character: a long statement would overflow the stack, and
    // its backfill would not fit a help line anyway.
    constexpr std::size_t kLongest = 2000;
    if (sql.size() <= kLongest && std::regex_match(sql, m, simple) &&
        sql.find(" from ") == std::string::npos && sql.find(" FROM ") == std::string::npos &&
        sql.find("returning") == std::string::npos && sql.find("RETURNING") == std::string::npos)
      return fmt::format(
          "write a `backfill`: mig runs it in keyset batches, one short transaction each, and "
          "resumes it after a crash:\n    backfill {} set {}{} batch 1000",
          name, m[1].str(), m[2].matched ? " where " + m[3].str() : std::string());
    return fmt::format(
        "write a `backfill`: mig runs it in keyset batches, one short transaction each, and "
        "resumes it after a crash:\n    backfill {} set COLUMN = VALUE where PREDICATE batch 1000",
        name);
  }
};

}  // namespace

std::unique_ptr<Rule> make_UnbatchedUpdate() { return std::make_unique<UnbatchedUpdate>(); }

}  // namespace mig
