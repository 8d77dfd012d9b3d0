#pragma once

// What a statement does, as typed facts: the one description the planner's lock facts
// and every lint rule read, whichever form the statement was written in (a `.mig`
// operation, a statement of a `sql { }` block, a statement of a plain `.sql` file).
// Adding an effect means adding it here and to `lock_facts` (effects/lock_facts.cpp),
// which does not compile until it handles it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/model/schema_model.hpp"
#include "compiler/source/diagnostic.hpp"
#include "plan/lock_mode.hpp"

namespace mig {

// CREATE TABLE, CREATE TABLE ... AS, SELECT ... INTO, CREATE MATERIALIZED VIEW: a table
// no one else uses yet.
struct TableCreated {
  ObjectName table;
};
struct TableDropped {
  ObjectName table;
};
struct TableRenamed {
  ObjectName table;
  std::string new_name;
};
struct TableTruncated {
  ObjectName table;
};
// VACUUM FULL and CLUSTER write a new copy of the table under ACCESS EXCLUSIVE.
struct TableRewritten {
  ObjectName table;
  std::string by;  // "VACUUM FULL", "CLUSTER"
};
// LOCK TABLE
struct TableLocked {
  ObjectName table;
  LockMode mode;
};
// A column's type as written (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE).
struct ColumnTyped {
  ObjectName table;
  std::string column;
  std::string base;           // PostgreSQL's name: int4, varchar, timestamp, ...
  std::size_t modifiers = 0;  // how many type modifiers, e.g. varchar(20): 1
  bool array = false;
  bool key = false;     // primary key or foreign key column, as far as the statement says
  bool serial = false;  // serial, bigserial, smallserial
};
struct ColumnAdded {
  ObjectName table;
  std::string column;
  std::string type;  // as PostgreSQL names it: int8, varchar(20)
  bool not_null = false;
  bool has_default = false;
  bool volatile_default = false;  // rewrites the table
  bool identity = false;          // identity or serial: rewrites the table
  bool stored_generated = false;  // rewrites the table
};
struct ColumnDropped {
  ObjectName table;
  std::string column;
};
struct ColumnRenamed {
  ObjectName table;
  std::string column;
  std::string new_name;
};
enum class Rewrite { No, Yes, Unknown };
struct ColumnTypeChanged {
  ObjectName table;
  std::string column;
  std::string from;  // empty when unknown
  std::string to;
  Rewrite rewrite = Rewrite::Unknown;
};
struct NotNullSet {
  ObjectName table;
  std::string column;
  bool scans = true;  // false when a validated check already proves it
};
struct NotNullDropped {
  ObjectName table;
  std::string column;
};
struct DefaultChanged {
  ObjectName table;
  std::string column;
};
struct ConstraintAdded {
  ObjectName table;
  std::string name;  // empty when PostgreSQL names it
  ConstraintKind kind = ConstraintKind::Check;
  bool validated = true;     // false: NOT VALID
  bool using_index = false;  // UNIQUE / PRIMARY KEY USING INDEX
  std::optional<ObjectName> references;
  std::vector<std::string> columns;
  // A check that is exactly `column IS NOT NULL`: once valid, SET NOT NULL needs no scan.
  std::optional<std::string> proves_not_null;
  // A check's expression (PostgreSQL's raw_expr): once valid, it may imply a partition bound.
  nlohmann::json check;
};
struct ConstraintValidated {
  ObjectName table;
  std::string name;
  std::optional<ObjectName> references;        // when known to be a foreign key
  std::optional<std::string> proves_not_null;  // when known, as in ConstraintAdded
  nlohmann::json check;                        // when known, as in ConstraintAdded
};
struct ConstraintDropped {
  ObjectName table;
  std::string name;
  std::optional<ObjectName> references;  // when known to be a foreign key
};
struct IndexBuilt {
  ObjectName table;
  std::string index;  // empty when PostgreSQL names it
  bool concurrently = false;
  bool unique = false;
  std::vector<std::string> columns;  // the plain column keys, in order
};
struct IndexDropped {
  std::string index;
  std::optional<ObjectName> table;  // when the model knows it
  bool concurrently = false;
};
struct Reindexed {
  std::optional<ObjectName> table;  // the table, or the index's table when the model knows it
  std::string what;                 // "TABLE public.users", "INDEX public.users_email_idx"
  bool concurrently = false;
};
enum class RowChange { Insert, Update, Delete, Merge, Copy };
struct RowsChanged {
  ObjectName table;
  RowChange how = RowChange::Update;
  bool batched = false;      // run by mig in keyset batches, one transaction each
  bool bookkeeping = false;  // another tool's version table (alembic_version, ...)
};
struct TriggerCreated {
  ObjectName table;
  std::string trigger;
};
struct TriggerDropped {
  ObjectName table;
  std::string trigger;
};
// CREATE [OR REPLACE] VIEW: a new view is used by no one yet; replacing one takes ACCESS
// EXCLUSIVE on it.
struct ViewDefined {
  ObjectName view;
  bool replaces = false;  // an existing view
};
struct ViewDropped {
  ObjectName view;
};
// REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on the view (reads wait until the query
// has run again); CONCURRENTLY takes EXCLUSIVE, which reads do not wait for, and needs a
// unique index on plain columns without WHERE.
struct MaterializedViewRefreshed {
  ObjectName view;
  bool concurrently = false;
  bool has_refresh_key = false;  // the model knows such an index
  bool no_data = false;          // WITH NO DATA: emptied, reads fail until it is filled
};
// ALTER TABLE ... ATTACH PARTITION, and CREATE TABLE ... PARTITION OF (`created`). Attaching
// takes SHARE UPDATE EXCLUSIVE on the partitioned table and ACCESS EXCLUSIVE on the
// partition, whose rows it checks against the bound unless valid checks of the partition
// imply it; creating one takes ACCESS EXCLUSIVE on the partitioned table. Either takes
// ACCESS EXCLUSIVE on a default partition and scans it for rows the new bound takes.
struct PartitionAttached {
  ObjectName table;  // the partitioned table
  ObjectName partition;
  bool created = false;
  bool scans = true;  // as far as the model knows: its valid checks imply the bound
  std::optional<ObjectName> default_partition;
  nlohmann::json bound;                   // PostgreSQL's PartitionBoundSpec
  std::optional<std::string> key_column;  // a key of one plain column, when the model knows it
};
// ALTER TABLE ... DETACH PARTITION: ACCESS EXCLUSIVE on the partitioned table and the
// partition. CONCURRENTLY: SHARE UPDATE EXCLUSIVE on the partitioned table (ACCESS EXCLUSIVE
// on the partition at its end), in two transactions of its own, so outside a transaction
// block.
struct PartitionDetached {
  ObjectName table;
  ObjectName partition;
  bool concurrently = false;
};
// Any other ALTER TABLE action (ENABLE TRIGGER, SET STATISTICS,
// OWNER TO, ...), with the lock PostgreSQL takes for it.
struct TableAltered {
  ObjectName table;
  std::string action;  // e.g. "SET STATISTICS"
  LockMode mode = LockMode::AccessExclusive;
};
// ALTER DOMAIN ... ADD CONSTRAINT: checks every column of the domain in every table, under
// SHARE on each, unless NOT VALID.
struct DomainConstraintAdded {
  std::string domain;
  std::string name;
  bool validated = true;
};
struct DatabaseDropped {
  std::string database;
};
// BEGIN / START TRANSACTION, COMMIT / END / ROLLBACK written in a plain SQL file.
struct TransactionControl {
  bool begins = false;
};
// ALTER TYPE ... ADD VALUE: no table lock, but the new value cannot be used before the
// transaction that adds it commits, so mig runs it alone, committed before what follows.
struct EnumValueAdded {
  ObjectName type;
  std::string value;
};
// ALTER SEQUENCE takes SHARE ROW EXCLUSIVE on the sequence, which nextval() (ROW EXCLUSIVE)
// waits for: inserts that take a value from it wait until the transaction ends. DROP
// SEQUENCE takes ACCESS EXCLUSIVE on it.
struct SequenceAltered {
  ObjectName sequence;
};
struct SequenceDropped {
  ObjectName sequence;
};
// Statements that must run outside a transaction block and take no table lock mig
// tracks: VACUUM, CREATE DATABASE, ALTER SYSTEM, ...
struct RunsAlone {
  std::string what;
};

using Effect =
    std::variant<TableCreated, TableDropped, TableRenamed, TableTruncated, TableRewritten,
                 TableLocked, ColumnTyped, ColumnAdded, ColumnDropped, ColumnRenamed,
                 ColumnTypeChanged, NotNullSet, NotNullDropped, DefaultChanged, ConstraintAdded,
                 ConstraintValidated, ConstraintDropped, IndexBuilt, IndexDropped, Reindexed,
                 RowsChanged, TriggerCreated, TriggerDropped, TableAltered, DomainConstraintAdded,
                 DatabaseDropped, TransactionControl, RunsAlone, ViewDefined, ViewDropped,
                 EnumValueAdded, SequenceAltered, SequenceDropped, MaterializedViewRefreshed,
                 PartitionAttached, PartitionDetached>;

// For std::visit over an Effect: one lambda per effect type.
template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};

// The form a statement was written in.
enum class Form { Mig, SqlBlock, PlainSql };

// One statement with what it does.
struct StatementEffects {
  Span span;          // the statement (a `.mig` operation, or one SQL statement)
  int statement = 0;  // its index in the file (what `@allow` / `-- mig:allow` refer to)
  Form form = Form::Mig;
  std::vector<Effect> effects;
};

}  // namespace mig
