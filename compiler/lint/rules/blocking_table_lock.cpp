#include "compiler/lint/lint_support.hpp"

namespace mig {

namespace {

// What blocks: "every read and write of `t`" or "every write to `t`".
std::string who_waits(LockMode mode, const ObjectName& table) {
  return blocks_reads(mode) ? fmt::format("every read and write of `{}`", table.display())
                            : fmt::format("every write to `{}`", table.display());
}

constexpr const char* kShortOnceLocked =
    "it is short once it has the lock, but waits behind every running query: set a short "
    "lock_timeout (mig's runtime does) and deploy when no long transaction runs";

// Policies and row-level security: catalog changes under ACCESS EXCLUSIVE.
bool is_access_control(std::string_view action) {
  return action.ends_with("POLICY") || action.ends_with("ROW SECURITY");
}

class BlockingTableLock final : public Rule {
 public:
  std::string_view id() const override { return "blocking-table-lock"; }
  bool grows_with_table() const override { return true; }
  std::string_view summary() const override {
    return "TRUNCATE, VACUUM FULL, CLUSTER, LOCK TABLE, SET LOGGED/UNLOGGED, trigger, policy, "
           "row-level security or partition changes that block an existing table";
  }

  void check(const LintContext& ctx, const PlannedStatement& s) const override {
    const auto report = [&](const ObjectName& table, std::string what, LockMode mode,
                            std::string help) {
      if (ctx.is_new(table)) return;
      ctx.report(s.what.span, s.what.statement,
                 fmt::format("{} takes {} on `{}`: {} waits for it, and it waits for every "
                             "running query of the table",
                             what, to_string(mode), table.display(), who_waits(mode, table)),
                 std::move(help));
    };
    for (const auto& effect : s.what.effects)
      std::visit(
          Overloaded{
              [&](const TableTruncated& e) {
                report(e.table, "TRUNCATE", LockMode::AccessExclusive,
                       "empty the table in batches with DELETE (`backfill` ... in .mig deletes "
                       "in batches), or truncate it when no one uses it; note that the rows "
                       "are gone for good: the downgrade cannot bring them back");
              },
              [&](const TableRewritten& e) {
                report(e.table, e.by + " (a rewrite of the whole table)", LockMode::AccessExclusive,
                       "run a plain VACUUM (it takes SHARE UPDATE EXCLUSIVE), or rebuild the "
                       "table online with pg_repack, outside the migration");
              },
              [&](const TableLocked& e) {
                if (blocks_writes(e.mode) || blocks_reads(e.mode))
                  report(e.table, "LOCK TABLE", e.mode,
                         "the lock is held until the transaction ends: take the weakest mode "
                         "that protects what the migration does, and keep the transaction short");
              },
              [&](const TriggerCreated& e) {
                report(e.table, fmt::format("creating trigger `{}`", e.trigger),
                       LockMode::ShareRowExclusive, kShortOnceLocked);
              },
              [&](const TriggerDropped& e) {
                report(e.table, fmt::format("dropping trigger `{}`", e.trigger),
                       LockMode::AccessExclusive, kShortOnceLocked);
              },
              [&](const PartitionDetached& e) {
                if (!e.concurrently)
                  report(e.table, "DETACH PARTITION", LockMode::AccessExclusive,
                         s.what.form == Form::Mig
                             ? "write `detach partition ... concurrently` (PostgreSQL 14+): it "
                               "takes SHARE UPDATE EXCLUSIVE and runs outside a transaction"
                             : "write `DETACH PARTITION ... CONCURRENTLY` (PostgreSQL 14+): it "
                               "takes SHARE UPDATE EXCLUSIVE and runs outside a transaction");
              },
              [&](const PartitionAttached& e) {
                if (e.created)
                  report(e.table, fmt::format("creating partition `{}`", e.partition.display()),
                         LockMode::AccessExclusive,
                         "create the table on its own, then attach it: `attach partition` "
                         "takes SHARE UPDATE EXCLUSIVE, which reads and writes do not wait for");
              },
              [&](const TableAltered& e) {
                if (is_access_control(e.action))
                  report(e.table, e.action, e.mode, kShortOnceLocked);
                else if (e.action == "SET LOGGED" || e.action == "SET UNLOGGED")
                  report(e.table, e.action + " (a rewrite of the whole table)", e.mode,
                         "PostgreSQL has no online form: change it while the table is small or "
                         "unused, or copy the rows into a new table in batches and switch");
              },
              [](const auto&) {},
          },
          effect);
  }
};

}  // namespace

std::unique_ptr<Rule> make_BlockingTableLock() { return std::make_unique<BlockingTableLock>(); }

}  // namespace mig
