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
// ALTER TABLE ... ADD CONSTRAINT ... [NOT VALID], restoring a constraint as it was.
PlanStep add_constraint_step(const ObjectName& table, const Constraint&);
// A statement of a serial column's own-named sequence (see serial_sequence_sql).
PlanStep sequence_step(const std::string& sequence, std::string sql);
// COMMENT ON <what> IS ... (`what` is SQL: `TABLE "s"."t"`), described as `description`.
PlanStep comment_step(std::string_view description, std::string_view what,
                      const std::optional<std::string>& comment);
// `COLUMN "s"."t"."c"`, the target of a column's comment.
std::string column_comment_target(const ObjectName& table, std::string_view column);
// CREATE TYPE ... AS ENUM with the type's values, then its comment.
std::vector<PlanStep> create_enum_steps(const EnumType&);
// GRANT to each grantee what it holds on `object` (SQL: `TABLE "s"."t"`), in their order,
// and REVOKE what a new object gives (`initial`) that it no longer holds; described as
// `name` (`public.t`, `schema s`).
std::vector<PlanStep> grant_steps(std::string_view object, std::string_view name, const Grants&,
                                  const Grants& initial = {});
// CREATE [MATERIALIZED] VIEW as the model has it, with its indexes and privileges.
std::vector<PlanStep> create_view_steps(const View&);
// Row-level security, its policies and the privileges of a table re-created as it was.
std::vector<PlanStep> access_steps(const Table&);
// CREATE INDEX (not concurrently), restoring an index as it was.
PlanStep create_index_step(const ObjectName& table, const Index&);

}  // namespace mig
