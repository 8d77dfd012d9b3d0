#include "compiler/effects/lock_facts.hpp"
#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// "CREATE INDEX CONCURRENTLY" for a statement that cannot run inside a transaction block.
std::string what_runs_alone(const PlannedStatement& s) {
  std::string what = "this statement";
  each<IndexBuilt>(s, [&](const IndexBuilt& e) {
    if (e.concurrently) what = "CREATE INDEX CONCURRENTLY";
  });
  each<IndexDropped>(s, [&](const IndexDropped& e) {
    if (e.concurrently) what = "DROP INDEX CONCURRENTLY";
  });
  each<PartitionDetached>(s, [&](const PartitionDetached& e) {
    if (e.concurrently) what = "DETACH PARTITION CONCURRENTLY";
  });
  each<RunsAlone>(s, [&](const RunsAlone& e) { what = e.what; });
  return what;
}

class ConcurrentlyInTransaction final : public Rule {
 public:
  std::string_view id() const override { return "concurrently-in-transaction"; }
  std::string_view summary() const override {
    return "a statement that cannot run inside a transaction block, in one";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    // mig plans such statements of .mig files alone, outside any transaction; in a plain
    // .sql file they run where the file's transactions put them.
    if (step_facts(s.what.effects).transactional || !ctx.transaction_of(s)) return;
    // ALTER TYPE ... ADD VALUE may run in a transaction block (PostgreSQL 12 and later);
    // mig runs it alone only so that the statements after it can use the new value.
    bool adds_enum_value = false;
    each<EnumValueAdded>(s, [&](const EnumValueAdded&) { adds_enum_value = true; });
    if (adds_enum_value) return;
    ctx.report(s.what.span, s.what.statement,
               fmt::format("{} cannot run inside a transaction block, and here it runs in one: "
                           "PostgreSQL rejects it and the migration fails",
                           what_runs_alone(s)),
               "make `-- mig:no-transaction` the file's first line (or end the transaction with "
               "COMMIT before it): mig then runs this statement alone and the others in "
               "transactions; or write the migration in .mig, where mig plans it alone");
  }
};

}  // namespace

std::unique_ptr<Rule> make_ConcurrentlyInTransaction() {
  return std::make_unique<ConcurrentlyInTransaction>();
}

}  // namespace mig
