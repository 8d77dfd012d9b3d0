#pragma once

// Shared by the operations: model look-ups that report what is missing, and step builders.

#include <string>

#include "compiler/ops/operation.hpp"

namespace mig {

const Table* require_table(const SchemaModel&, const TableRef&, CheckContext&);
const Column* require_column(const Table&, const NameRef&, CheckContext&);
const Constraint* require_constraint(const Table&, const NameRef&, CheckContext&);
// Reports a column type PostgreSQL would not find: one neither built in, nor a table's row
// type, nor possibly created by earlier raw SQL, nor schema-qualified (docs/language.md).
// Serial types are accepted only where the column is created.
bool require_type(const SchemaModel&, const SqlFragment& type, CheckContext&, bool creates_column);

// The enum type `ref` names; reports one the model does not know, with a did-you-mean.
const EnumType* require_enum(const SchemaModel&, const TableRef&, CheckContext&);
// The enum value `label` of `type`; reports one it does not have.
bool require_enum_value(const EnumType& type, const ast::EnumLabel& label, CheckContext&);

// A step of `sql`; its locks, kind and transaction are read from the SQL when the
// migration is planned (effects/sql_effects: describe_step).
PlanStep step(std::string description, std::string sql);
// `text` in ASCII upper case.
std::string upper(std::string_view text);
// Adds `more` to the end of `steps`.
void append(std::vector<PlanStep>& steps, std::vector<PlanStep> more);

// ALTER TABLE "s"."t" <action>
std::string alter_table_sql(const ObjectName& table, std::string_view action);

// A constraint as the model stores it, from what was written; the name is derived the
// way PostgreSQL derives it when none was given. Reports unknown columns and tables.
std::optional<Constraint> resolve_constraint(const SchemaModel&, const Table& table,
                                             const ConstraintSpec&, CheckContext&, int version);
// Constraints declared inline on a column (primary key, unique, check, references).
std::vector<ConstraintSpec> inline_constraints(const ColumnSpec&);
// Reports a column declared both `null` and `not null`, or identity with a default.
bool require_consistent(const ColumnSpec&, CheckContext&);
// A table or index renamed to `new_name` stays in its schema, under a name no relation there
// has; `kind` is "a table" or "an index".
bool require_relation_rename(const SchemaModel&, const ObjectName& relation,
                             const TableRef& new_name, std::string_view kind, CheckContext&);
// Table `from` becomes `to` (renamed, or moved to another schema): other tables' foreign
// keys follow it, and the sequences it owns move to `to`'s schema with it.
void move_table(SchemaModel&, const ObjectName& from, const ObjectName& to);
// A generated column reads columns of its table that exist and are not generated.
void require_generation_columns(const Table&, const ColumnSpec&, CheckContext&);
Column column_from(const ColumnSpec&);
// PostgreSQL builds one index for the primary key and unique constraints on the same
// columns (in the same order) of one statement, and keeps the primary key's: the other
// constraints are never created. Removes them from `constraints[first_new...]`.
void drop_redundant_unique(std::vector<Constraint>& constraints, std::size_t first_new);

// CREATE TABLE with its columns and valid constraints (a partition: CREATE TABLE ...
// PARTITION OF with its bound), then the constraints that were not yet validated (added NOT
// VALID) and the table's indexes.
std::vector<PlanStep> create_table_steps(const Table&);
// ` PARTITION BY RANGE (key)`, or nothing for a table that is not partitioned.
std::string partition_by_sql(const std::optional<Partitioning>&);
// CREATE TABLE "s"."p" PARTITION OF "s"."t" FOR VALUES ... [PARTITION BY ...]
std::string partition_of_sql(const Table& partition);
// ALTER TABLE ... ADD CONSTRAINT ... [NOT VALID], restoring a constraint as it was, then its
// comment.
std::vector<PlanStep> add_constraint_steps(const ObjectName& table, const Constraint&);
// A statement of a serial column's own-named sequence (see serial_sequence_sql).
PlanStep sequence_step(const std::string& sequence, std::string sql);

// How SQL names an object after COMMENT ON or GRANT ... ON, and how steps describe it:
// `VIEW "s"."v"`, `view s.v`.
struct ObjectRef {
  std::string sql;
  std::string display;
};
// `kind` is table, type, view, materialized view, sequence or index.
ObjectRef object_ref(std::string_view kind, const ObjectName&);
ObjectRef schema_ref(const std::string& schema);
ObjectRef column_ref(const ObjectName& table, std::string_view column);
// `kind` is constraint or trigger.
ObjectRef member_ref(std::string_view kind, std::string_view name, const ObjectName& table);
ObjectRef function_ref(const Function&);
// COMMENT ON ... IS ..., described as `comment on <display>` after `prefix`.
PlanStep comment_step(const ObjectRef&, const std::optional<std::string>& comment,
                      std::string_view prefix = "");
// The comment step when there is a comment, for an object re-created as it was.
void add_comment_step(std::vector<PlanStep>&, const ObjectRef&,
                      const std::optional<std::string>& comment);
// CREATE TYPE ... AS ENUM with the type's values, then its comment.
std::vector<PlanStep> create_enum_steps(const EnumType&);
// GRANT (or REVOKE) `privileges` on `object` (SQL: `TABLE "s"."t"`) to (from) one role,
// described as `grant <privileges> on <name> to <role>`.
PlanStep grant_step(bool revoke, std::string_view object, std::string_view name,
                    const std::string& role, const Grants::Privileges& privileges);
// GRANT to each grantee what it holds on `object` (SQL: `TABLE "s"."t"`), in their order,
// and REVOKE what a new object gives (`initial`) that it no longer holds; described as
// `name` (`public.t`, `schema s`).
std::vector<PlanStep> grant_steps(std::string_view object, std::string_view name, const Grants&,
                                  const Grants& initial = {});
// CREATE [MATERIALIZED] VIEW as the model has it, with its comment, indexes and privileges;
// described as `description` (default: create [materialized] view <name>).
std::vector<PlanStep> create_view_steps(const View&, std::string description = "");
// Row-level security, its policies and the privileges of a table re-created as it was.
std::vector<PlanStep> access_steps(const Table&);
// The privileges on the sequence of an identity or serial column re-created as it was.
std::vector<PlanStep> column_sequence_grant_steps(const ObjectName& table, const Column&);
// DROP [MATERIALIZED] VIEW, described as `drop [materialized] view <name>`.
PlanStep drop_view_step(const View&);
// DROP INDEX of an index of `relation` (a table or materialized view), described as `drop
// index <name>` and `why`.
PlanStep drop_index_step(const ObjectName& relation, const std::string& index,
                         std::string_view why = "");
// ALTER TABLE ... DROP CONSTRAINT, described as `drop constraint <name> from <table>` and `why`.
PlanStep drop_constraint_step(const ObjectName& table, const std::string& constraint,
                              std::string_view why = "");
// CREATE INDEX (not concurrently), restoring an index as it was, then its comment.
std::vector<PlanStep> create_index_steps(const ObjectName& table, const Index&);
// CREATE TRIGGER, restoring a trigger as it was, then its comment.
std::vector<PlanStep> create_trigger_steps(const ObjectName& table, const Trigger&);

}  // namespace mig
