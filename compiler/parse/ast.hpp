#pragma once

// What a .mig file says, as the parser read it: names, SQL fragments checked by
// PostgreSQL's parser, and one node per statement (one per action of an `alter table`
// block), with places in the source. Nothing here knows the schema; the operations
// (compiler/ops) resolve these nodes against the model.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/model/schema_model.hpp"
#include "compiler/source/diagnostic.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

struct NameRef {
  std::string value;  // unquoted, bare names folded to lower case
  Span span;
};

struct TableRef {
  ObjectName name;
  Span span;
};

// A piece of SQL (expression, type, predicate) as written, already checked by
// PostgreSQL's parser in the statement it will be emitted in; `tree` is that parse
// (shared with the parse cache; null only where the parser reported an error).
struct SqlFragment {
  std::string text;
  Span span;
  SqlTree tree;
};

struct ReferenceSpec {
  TableRef table;
  std::vector<NameRef> columns;  // empty: the referenced table's primary key
  std::string on_delete;         // SQL action or empty
  std::string on_update;
  std::vector<NameRef> set_columns;  // `on delete set null (these)`
  Deferral deferral = Deferral::None;
  Span span;
};

struct ColumnSpec {
  NameRef name;
  SqlFragment type;
  bool not_null = false;
  bool explicit_null = false;  // `null` written
  std::optional<SqlFragment> default_expr;
  bool primary_key = false;
  bool unique = false;
  bool unique_nulls_not_distinct = false;
  std::optional<SqlFragment> check;
  std::optional<ReferenceSpec> references;
  Identity identity = Identity::None;
  Span span;
  std::optional<SqlFragment> generated;  // the expression, without its parentheses
};

// An exclusion constraint as written: each key (checked as an index key) with its operator.
struct ExclusionSpec {
  std::string method;
  std::vector<IndexKey> keys;
  std::vector<SqlFragment> key_fragments;
  std::vector<std::string> operators;
  std::optional<SqlFragment> where;
};

struct ConstraintSpec {
  ConstraintKind kind = ConstraintKind::Check;
  std::optional<NameRef> name;
  std::vector<NameRef> columns;
  std::optional<SqlFragment> check;
  std::optional<ReferenceSpec> references;
  std::optional<TableRef> using_index;
  bool not_valid = false;
  Span span;
  Deferral deferral = Deferral::None;  // of a primary key or unique constraint
  bool nulls_not_distinct = false;     // of a unique constraint
  std::optional<ExclusionSpec> exclusion = std::nullopt;
};

struct RawStatement {
  std::string sql;
  Span span;
  nlohmann::json tree;
};

// A number as written; its range is checked where it is used.
struct Number {
  std::string digits;
  Span span;
};

struct SetItem {
  NameRef column;
  SqlFragment value;
};

// `partition by range|list|hash (KEY)`: `key` in its parentheses, its tree the CreateStmt.
struct PartitionKeySpec {
  PartitionStrategy strategy = PartitionStrategy::Range;
  SqlFragment key;
  std::vector<std::string> columns;  // the key's plain columns (empty for an expression key)
};

// `for values from (...) to (...)`, `in (...)`, `with (modulus m, remainder r)` or
// `default`, as SQL (`FOR VALUES FROM (...) TO (...)`); `tree` is PostgreSQL's
// PartitionBoundSpec of it.
struct PartitionBound {
  std::string sql;
  nlohmann::json tree;
  Span span;
};

namespace ast {

struct CreateTable {
  TableRef table;
  std::vector<ColumnSpec> columns;
  std::vector<ConstraintSpec> constraints;
  bool unlogged = false;
  std::optional<PartitionKeySpec> partition_by;
};

// create table NAME partition of PARENT BOUND [partition by ...]
struct CreatePartition {
  TableRef table;
  TableRef parent;
  PartitionBound bound;
  std::optional<PartitionKeySpec> partition_by;
};

// alter table PARENT attach partition TABLE BOUND
struct AttachPartition {
  TableRef table;
  TableRef partition;
  PartitionBound bound;
};

// alter table PARENT detach partition TABLE [concurrently]
struct DetachPartition {
  TableRef table;
  TableRef partition;
  bool concurrently = false;
};

struct DropTable {
  TableRef table;
};

struct RenameTable {
  TableRef table;
  TableRef new_name;
};

struct AddColumn {
  TableRef table;
  ColumnSpec column;
};

struct DropColumn {
  TableRef table;
  NameRef column;
};

struct RenameColumn {
  TableRef table;
  NameRef column;
  NameRef new_name;
};

struct AlterColumnType {
  TableRef table;
  NameRef column;
  SqlFragment type;
  std::optional<SqlFragment> using_expr;
};

struct SetNotNull {
  TableRef table;
  NameRef column;
};

struct DropNotNull {
  TableRef table;
  NameRef column;
};

struct SetDefault {
  TableRef table;
  NameRef column;
  SqlFragment default_expr;
};

struct DropDefault {
  TableRef table;
  NameRef column;
};

// `add generated ... as identity` (add), `set generated ...` or `drop identity` (None).
struct ChangeIdentity {
  TableRef table;
  NameRef column;
  Identity identity = Identity::None;
  bool add = false;
};

// `set logged` / `set unlogged`
struct SetLogged {
  TableRef table;
  bool logged = true;
};

struct SetSchema {
  TableRef table;
  NameRef schema;
};

struct AddConstraint {
  TableRef table;
  ConstraintSpec constraint;
};

struct DropConstraint {
  TableRef table;
  NameRef name;
};

struct RenameConstraint {
  TableRef table;
  NameRef name;
  NameRef new_name;
};

struct RenameIndex {
  TableRef index;
  TableRef new_name;
};

struct ValidateConstraint {
  TableRef table;
  NameRef name;
};

struct CreateIndex {
  TableRef index;  // the index's name; its schema is the table's
  TableRef table;
  bool unique = false;
  bool concurrently = false;
  bool if_not_exists = false;
  std::string method;
  std::vector<IndexKey> keys;
  std::vector<SqlFragment> key_fragments;  // each key as written
  std::optional<SqlFragment> where;
  std::vector<NameRef> include;
  bool nulls_not_distinct = false;
  std::optional<SqlFragment> with;  // storage parameters, in their parentheses
};

struct DropIndex {
  TableRef index;
  bool concurrently = false;
  bool if_exists = false;
};

// reindex [index|table] [concurrently] NAME
struct Reindex {
  TableRef target;
  bool table = false;
  bool concurrently = false;
};

struct RawSql {
  std::vector<RawStatement> up_statements;
  std::optional<std::vector<RawStatement>> down_statements;
};

// `update ... in batches` sets columns; `delete from ... in batches` has no assignments.
struct Backfill {
  TableRef table;
  std::vector<SetItem> assignments;
  std::optional<SqlFragment> where;
  std::optional<Number> batch_size;  // 10000 when absent
};

// create [or replace] function NAME(ARGS) ...: `definition` is everything after the name,
// checked (and its plpgsql body, when it has one) by PostgreSQL's parser; its tree is the
// CreateFunctionStmt.
struct CreateFunction {
  TableRef function;
  bool or_replace = false;
  SqlFragment definition;
};

// drop function NAME[(ARGTYPES)]: `argument_types`' tree is the DropStmt.
struct DropFunction {
  TableRef function;
  std::optional<SqlFragment> argument_types;
};

// create trigger NAME EVENTS on TABLE [CONDITION] execute function FUNCTION(ARGS)
struct CreateTrigger {
  NameRef trigger;
  SqlFragment events;
  TableRef table;
  std::optional<SqlFragment> condition;  // FOR EACH ROW, WHEN (...), REFERENCING ...
  TableRef function;
  SqlFragment arguments;
  nlohmann::json tree;  // the CreateTrigStmt of the whole statement
};

struct DropTrigger {
  NameRef trigger;
  TableRef table;
};

// create [or replace] view NAME [(COLUMNS)] as QUERY: `query`'s tree is the ViewStmt.
// `create materialized view NAME [(COLUMNS)] as QUERY [with [no] data]` too, its query
// checked as a view's.
struct CreateView {
  TableRef view;
  bool or_replace = false;
  std::vector<NameRef> columns;
  SqlFragment query;
  bool materialized = false;
  bool with_no_data = false;
};

struct DropView {
  TableRef view;
  bool materialized = false;
};

struct RefreshMaterializedView {
  TableRef view;
  bool concurrently = false;
  bool no_data = false;  // `with no data`: emptied, not filled
};

// Schemas, extensions, enum types and comments.

// An enum value, unquoted.
struct EnumLabel {
  std::string value;
  Span span;
};

struct CreateSchema {
  NameRef schema;
};

struct DropSchema {
  NameRef schema;
};

struct CreateExtension {
  NameRef extension;
  std::optional<NameRef> schema;  // public when absent
};

struct DropExtension {
  NameRef extension;
};

struct CreateEnum {
  TableRef type;
  std::vector<EnumLabel> values;
};

struct AddEnumValue {
  TableRef type;
  EnumLabel value;
  std::optional<EnumLabel> neighbour;  // `before` / `after` this value
  bool before = false;
};

struct RenameEnumValue {
  TableRef type;
  EnumLabel value;
  EnumLabel new_value;
};

struct DropType {
  TableRef type;
};

enum class CommentTarget {
  Table,
  Column,
  Type,
  Schema,
  View,
  MaterializedView,
  Index,
  Function,
  Sequence,
  Constraint,
  Trigger
};

struct CommentOn {
  CommentTarget target = CommentTarget::Table;
  // The object, or the table of a column, constraint or trigger; a schema's name is in
  // `object.name.name`.
  TableRef object;
  std::optional<NameRef> member;              // the column, constraint or trigger
  std::optional<SqlFragment> argument_types;  // a function's, parsed as `DROP FUNCTION f`
  std::optional<std::string> text;            // nullopt: `is null`
};

// Row-level security and privileges.

enum class RowSecurityChange { Enable, Disable, Force, NoForce };

struct SetRowSecurity {
  TableRef table;
  RowSecurityChange change = RowSecurityChange::Enable;
};

// create policy NAME on TABLE [CLAUSES]: `clauses` (as, for, to, using, with check) as
// written; its tree is the CreatePolicyStmt.
struct CreatePolicy {
  NameRef policy;
  TableRef table;
  std::optional<SqlFragment> clauses;
};

struct DropPolicy {
  NameRef policy;
  TableRef table;
};

// grant PRIVILEGES on [table|schema|function|sequence] OBJECT to ROLES, or revoke ... from
// ROLES. For a schema, its name is `object.name.name`; a function's argument types, when
// written, are parsed as `DROP FUNCTION f(...)` is.
struct Grant {
  enum class On { Table, Schema, Function, Sequence };
  bool revoke = false;
  On on = On::Table;
  std::vector<NameRef> privileges;  // lower case as written; `all` stands for every one
  // `all tables|sequences|functions in schema s`: `on` says which, `object` names the schema
  // as for On::Schema.
  bool in_schema = false;
  TableRef object;
  std::optional<SqlFragment> argument_types;
  std::vector<NameRef> roles;
};

// Sequences.

// `owned by table.column`
struct SequenceOwner {
  TableRef table;
  NameRef column;
};

// The options of `create sequence` / `alter sequence`, each only when written.
struct SequenceOptions {
  std::optional<NameRef> type;  // `as` (create only)
  std::optional<Number> increment;
  std::optional<std::optional<Number>> minvalue;  // inner nullopt: `no minvalue`
  std::optional<std::optional<Number>> maxvalue;  // inner nullopt: `no maxvalue`
  std::optional<Number> start;
  std::optional<Number> cache;
  std::optional<bool> cycle;
  std::optional<std::optional<SequenceOwner>> owned_by;  // inner nullopt: `owned by none`
};

struct CreateSequence {
  TableRef sequence;
  SequenceOptions options;
};

struct AlterSequence {
  TableRef sequence;
  SequenceOptions options;
  bool restart = false;
  std::optional<Number> restart_with;
  Span restart_span;
};

struct DropSequence {
  TableRef sequence;
};

using Kind =
    std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn, RenameColumn,
                 AlterColumnType, SetNotNull, DropNotNull, SetDefault, DropDefault, AddConstraint,
                 DropConstraint, RenameConstraint, ValidateConstraint, CreateIndex, DropIndex,
                 RenameIndex, RawSql, Backfill, CreateFunction, DropFunction, CreateTrigger,
                 DropTrigger, CreateView, DropView, CreateSchema, DropSchema, CreateExtension,
                 DropExtension, CreateEnum, AddEnumValue, RenameEnumValue, DropType, CommentOn,
                 SetRowSecurity, CreatePolicy, DropPolicy, Grant, CreateSequence, AlterSequence,
                 DropSequence, RefreshMaterializedView, ChangeIdentity, SetLogged, SetSchema,
                 Reindex, CreatePartition, AttachPartition, DetachPartition>;

// One statement, or one action of an `alter table` block.
struct Node {
  Kind kind;
  Span span;
  int statement = 0;  // index of its statement in the file (one alter block: one statement)
};

}  // namespace ast

}  // namespace mig
