#include "compiler/effects/lock_facts.hpp"

#include <algorithm>

namespace mig {

namespace {

class Facts {
 public:
  explicit Facts(const std::vector<Effect>& effects) {
    // A table created by the statement itself is locked by nobody else.
    for (const auto& e : effects)
      if (const auto* created = std::get_if<TableCreated>(&e)) created_.push_back(created->table);
  }

  void lock(const ObjectName& table, LockMode mode) {
    if (created(table)) return;
    for (auto& l : facts.lock.locks)
      if (l.schema == table.schema && l.table == table.name) {
        l.mode = std::max(l.mode, mode);
        return;
      }
    facts.lock.locks.push_back({table.schema, table.name, mode});
  }
  void rewrites(const ObjectName& table) { facts.lock.rewrites_table |= !created(table); }
  void scans(const ObjectName& table) { facts.lock.scans_table |= !created(table); }

  StepFacts facts;

 private:
  bool created(const ObjectName& table) const {
    return std::find(created_.begin(), created_.end(), table) != created_.end();
  }

  std::vector<ObjectName> created_;
};

}  // namespace

StepFacts step_facts(const std::vector<Effect>& effects) {
  Facts f(effects);
  constexpr auto AE = LockMode::AccessExclusive;
  for (const auto& effect : effects)
    std::visit(
        Overloaded{
            [&](const TableCreated&) {},
            [&](const TableDropped& e) { f.lock(e.table, AE); },
            [&](const TableRenamed& e) { f.lock(e.table, AE); },
            [&](const TableTruncated& e) { f.lock(e.table, AE); },
            [&](const TableRewritten& e) {
              f.lock(e.table, AE);
              f.rewrites(e.table);
            },
            [&](const TableLocked& e) { f.lock(e.table, e.mode); },
            [&](const ColumnTyped&) {},
            [&](const ColumnAdded& e) {
              f.lock(e.table, AE);
              if (e.volatile_default || e.identity || e.stored_generated) f.rewrites(e.table);
              if (e.not_null && !e.has_default) f.scans(e.table);
            },
            [&](const ColumnDropped& e) { f.lock(e.table, AE); },
            [&](const ColumnRenamed& e) { f.lock(e.table, AE); },
            [&](const ColumnTypeChanged& e) {
              f.lock(e.table, AE);
              if (e.rewrite != Rewrite::No) f.rewrites(e.table);
            },
            [&](const NotNullSet& e) {
              f.lock(e.table, AE);
              if (e.scans) f.scans(e.table);
            },
            [&](const NotNullDropped& e) { f.lock(e.table, AE); },
            [&](const DefaultChanged& e) { f.lock(e.table, AE); },
            [&](const ConstraintAdded& e) {
              // A foreign key takes SHARE ROW EXCLUSIVE on both tables; the others ACCESS
              // EXCLUSIVE. A validated one scans the table (a unique one builds its index),
              // except a unique or primary key on an index that exists.
              const bool fk = e.kind == ConstraintKind::ForeignKey;
              f.lock(e.table, fk ? LockMode::ShareRowExclusive : AE);
              if (e.references) f.lock(*e.references, LockMode::ShareRowExclusive);
              if (e.validated && !e.using_index) f.scans(e.table);
            },
            [&](const ConstraintValidated& e) {
              f.lock(e.table, LockMode::ShareUpdateExclusive);
              if (e.references) f.lock(*e.references, LockMode::RowShare);
              f.scans(e.table);
            },
            [&](const ConstraintDropped& e) {
              f.lock(e.table, AE);
              if (e.references) f.lock(*e.references, AE);
            },
            [&](const IndexBuilt& e) {
              f.lock(e.table, e.concurrently ? LockMode::ShareUpdateExclusive : LockMode::Share);
              f.scans(e.table);
              if (e.concurrently) f.facts.transactional = false;
            },
            [&](const IndexDropped& e) {
              if (e.table) f.lock(*e.table, e.concurrently ? LockMode::ShareUpdateExclusive : AE);
              if (e.concurrently) f.facts.transactional = false;
            },
            [&](const Reindexed& e) {
              if (!e.table) return;
              f.lock(*e.table, e.concurrently ? LockMode::ShareUpdateExclusive : LockMode::Share);
              f.scans(*e.table);
            },
            [&](const RowsChanged& e) {
              f.lock(e.table, LockMode::RowExclusive);
              if (e.how == RowChange::Update || e.how == RowChange::Delete ||
                  e.how == RowChange::Merge)
                f.scans(e.table);
              f.facts.kind = e.batched ? StepKind::Backfill : StepKind::Data;
              if (e.batched) f.facts.transactional = false;  // a transaction per batch
            },
            [&](const TriggerCreated& e) { f.lock(e.table, LockMode::ShareRowExclusive); },
            [&](const TriggerDropped& e) { f.lock(e.table, AE); },
            [&](const TableAltered& e) { f.lock(e.table, e.mode); },
            [&](const PartitionAttached& e) {
              f.lock(e.table, e.created ? AE : LockMode::ShareUpdateExclusive);
              f.lock(e.partition, AE);
              if (e.scans) f.scans(e.partition);
              if (e.default_partition) {
                f.lock(*e.default_partition, AE);
                f.scans(*e.default_partition);
              }
            },
            [&](const PartitionDetached& e) {
              f.lock(e.table, e.concurrently ? LockMode::ShareUpdateExclusive : AE);
              f.lock(e.partition, AE);
              if (e.concurrently) f.facts.transactional = false;
            },
            // The tables using the domain are not known here.
            [&](const DomainConstraintAdded&) {},
            [&](const DatabaseDropped&) {},
            [&](const TransactionControl&) {},
            [&](const RunsAlone&) { f.facts.transactional = false; },
            [&](const ViewDefined& e) {
              if (e.replaces) f.lock(e.view, AE);
            },
            [&](const ViewDropped& e) { f.lock(e.view, AE); },
            [&](const EnumValueAdded&) { f.facts.transactional = false; },
            [&](const SequenceAltered& e) { f.lock(e.sequence, LockMode::ShareRowExclusive); },
            [&](const SequenceDropped& e) { f.lock(e.sequence, AE); },
            [&](const MaterializedViewRefreshed& e) {
              f.lock(e.view, e.concurrently ? LockMode::Exclusive : AE);
            },
        },
        effect);
  return f.facts;
}

const ObjectName* table_of(const Effect& effect) {
  return std::visit(
      Overloaded{
          [](const TransactionControl&) -> const ObjectName* { return nullptr; },
          [](const DomainConstraintAdded&) -> const ObjectName* { return nullptr; },
          [](const DatabaseDropped&) -> const ObjectName* { return nullptr; },
          [](const RunsAlone&) -> const ObjectName* { return nullptr; },
          [](const EnumValueAdded&) -> const ObjectName* { return nullptr; },
          [](const IndexDropped& e) -> const ObjectName* { return e.table ? &*e.table : nullptr; },
          [](const Reindexed& e) -> const ObjectName* { return e.table ? &*e.table : nullptr; },
          [](const ViewDefined& e) -> const ObjectName* { return &e.view; },
          [](const ViewDropped& e) -> const ObjectName* { return &e.view; },
          [](const SequenceAltered& e) -> const ObjectName* { return &e.sequence; },
          [](const SequenceDropped& e) -> const ObjectName* { return &e.sequence; },
          [](const MaterializedViewRefreshed& e) -> const ObjectName* { return &e.view; },
          [](const auto& e) -> const ObjectName* { return &e.table; },
      },
      effect);
}

}  // namespace mig
