#pragma once

// The schema as every earlier migration left it: what the compiler checks statements
// against and derives downgrades from.

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <ranges>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/model/access.hpp"
#include "compiler/model/routines.hpp"
#include "compiler/model/sequence.hpp"
#include "compiler/model/types.hpp"
#include "compiler/sql/quote.hpp"

namespace mig {

enum class Identity { None, Always, ByDefault };

struct Column {
  std::string name;
  std::string type;  // SQL text as written, checked by PostgreSQL's parser
  bool not_null = false;
  std::optional<std::string> default_expr;
  Identity identity = Identity::None;
  // The sequence PostgreSQL made for an identity or serial column, in the table's schema:
  // named when the column was created and kept across renames, as PostgreSQL keeps it.
  std::optional<std::string> sequence;
  Grants sequence_grants;  // privileges on that sequence
  std::optional<std::string> comment;
  // A stored generated column: its expression and the columns it reads.
  struct Generated {
    std::string expression;
    std::vector<std::string> columns;
  };
  std::optional<Generated> generated;
};

// Whether the column is identity or serial, and so owns a sequence.
bool owns_sequence(const Column&);
bool is_serial(const Column&);
// `<table>_<column>_seq`: the name a sequence made now for the column would get, unless
// that name is taken.
std::string natural_sequence_name(const ObjectName& table, const Column&);

enum class ConstraintKind { PrimaryKey, Unique, Check, ForeignKey, Exclusion };
// `DEFERRABLE [INITIALLY DEFERRED]` of a primary key, unique or foreign key constraint.
enum class Deferral { None, InitiallyImmediate, InitiallyDeferred };
std::string_view deferral_sql(Deferral);  // with a leading space; empty for None

struct ForeignKeyTarget {
  ObjectName table;
  std::vector<std::string> columns;
  std::string on_delete;  // SQL action, e.g. CASCADE; empty: NO ACTION
  std::string on_update;
  std::vector<std::string> set_columns;  // `on delete set null (these)`; empty: all
};

struct Constraint {
  std::string name;
  ConstraintKind kind = ConstraintKind::Check;
  std::vector<std::string> columns;  // pk, unique, fk
  std::string check;                 // check expression
  std::optional<ForeignKeyTarget> references;
  std::optional<Exclusion> exclusion;
  Deferral deferral = Deferral::None;
  bool nulls_not_distinct = false;  // unique
  bool validated = true;
  int version = 0;  // the migration that added it
  std::optional<std::string> comment;
};

// A partitioned table's `PARTITION BY RANGE|LIST|HASH (key)`.
enum class PartitionStrategy { Range, List, Hash };
std::string_view to_sql(PartitionStrategy);  // RANGE, LIST, HASH
struct Partitioning {
  PartitionStrategy strategy = PartitionStrategy::Range;
  std::string key;                   // SQL as written, in its parentheses
  std::vector<std::string> columns;  // the key's plain columns, in order (empty for expressions)
};
// A partition: its parent and its bound, as SQL (`FOR VALUES FROM (1) TO (10)`, `DEFAULT`).
struct PartitionOf {
  ObjectName parent;
  std::string bound;
};

struct Table {
  ObjectName name;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;  // indexes that back no constraint
  std::vector<Trigger> triggers;
  int version = 0;  // the migration that created it
  std::optional<std::string> comment;
  RowSecurity row_security;
  Grants grants;
  bool unlogged = false;
  std::optional<Partitioning> partitioning;  // a partitioned table
  std::optional<PartitionOf> partition_of;   // a partition (its columns are its parent's)

  Column* find_column(std::string_view);
  const Column* find_column(std::string_view) const;
  Constraint* find_constraint(std::string_view);
  const Constraint* find_constraint(std::string_view) const;
  Index* find_index(std::string_view);
  const Index* find_index(std::string_view) const;
  Trigger* find_trigger(std::string_view);
  const Trigger* find_trigger(std::string_view) const;
  const Constraint* primary_key() const;
};

// Tables are kept in declaration order (the order downgrades and lint findings list them
// in) and indexed by name; so are the names of PostgreSQL's relation namespace and the
// foreign keys by the table they reference. Every change goes through add_table,
// remove_table or edit_table, which keep those indexes in step.
class SchemaModel {
 public:
  const Table* find_table(const ObjectName&) const;
  void add_table(Table);
  void remove_table(const ObjectName&);
  // Changes one table (its name too); the table must exist.
  void edit_table(const ObjectName&, const std::function<void(Table&)>& edit);
  // The partitions of `parent`, in declaration order.
  std::vector<const Table*> partitions_of(const ObjectName& parent) const;
  // Changes every table with a foreign key to `table`, in declaration order.
  void edit_tables_referencing(const ObjectName& table, const std::function<void(Table&)>& edit);

  // The table owning index `name` (a standalone index), or nullptr.
  const Table* table_of_index(const ObjectName& name) const;
  // The table whose primary key or unique constraint `name` (and so its index) is, or nullptr.
  const Table* table_of_constraint_index(const ObjectName& name) const;
  // The materialized view with index `name`, or nullptr.
  const View* view_of_index(const ObjectName& name) const;
  // The table whose identity or serial column made sequence `name`, or nullptr.
  const Table* table_of_column_sequence(const ObjectName& name) const;
  // Whether a table, an index, a constraint's index, a view or a sequence already uses this
  // name.
  bool relation_exists(const ObjectName& name) const;
  // The name PostgreSQL gives a relation it makes for `name1` and `name2` (ChooseRelationName):
  // `name1_name2_label`, shortened to fit 63 bytes, with a number after `label` when taken
  // (in the model, or among `also_taken`).
  std::string choose_relation_name(const std::string& schema, std::string_view name1,
                                   std::string_view name2, std::string_view label,
                                   const std::set<std::string>& also_taken = {}) const;
  // Foreign keys of any table that point at `table` (optionally only those using `column`).
  std::vector<std::pair<const Table*, const Constraint*>> foreign_keys_to(
      const ObjectName& table, std::optional<std::string_view> column = std::nullopt) const;

  // Schemas and types other than tables' come from raw SQL only: schemas by name from
  // `create schema`; types the model cannot name from `create extension`, `create type` or
  // `create domain`. A `do` block may create either.
  void add_schema(std::string name) { schemas_.insert(std::move(name)); }
  void allow_any_schema() { any_schema_ = true; }
  void allow_unknown_types() { unknown_types_ = true; }
  bool schema_exists(std::string_view name) const { return any_schema_ || schemas_.contains(name); }
  bool may_have_unknown_types() const { return unknown_types_; }

  // Functions by name and argument types; views by name (in the relation namespace).
  const std::map<ObjectName, std::vector<Function>>& functions() const { return functions_; }
  const Function* find_function(const ObjectName&,
                                const std::vector<std::string>& argument_types) const;
  std::vector<const Function*> functions_named(const ObjectName&) const;
  // Adds it, or replaces the one with its signature, keeping its privileges and comment.
  void put_function(Function);
  void edit_function(const Function&, const std::function<void(Function&)>& edit);
  void remove_function(const Function&);
  const View* find_view(const ObjectName&) const;
  // Adds it, or replaces the one with its name, keeping its privileges and comment.
  void put_view(View);
  void remove_view(const ObjectName&);
  void edit_views(const std::function<void(View&)>& edit);
  // The triggers (with their tables) that execute the function.
  std::vector<std::pair<const Table*, const Trigger*>> triggers_executing(const Function&) const;
  // The views that read the table or view (only those reading `column` of it, when given).
  std::vector<const View*> views_reading(const ObjectName& relation,
                                         std::optional<std::string_view> column = {}) const;
  const std::map<ObjectName, View>& views() const { return views_; }
  // Sequences made by `create sequence` (a column's own are on the column: Column::sequence).
  const Sequence* find_sequence(const ObjectName&) const;
  // Adds it, or replaces the one with its name, keeping its privileges and comment.
  void put_sequence(Sequence);
  void edit_sequence(const ObjectName&, const std::function<void(Sequence&)>& edit);
  void remove_sequence(const ObjectName&);
  const std::map<ObjectName, Sequence>& sequences() const { return sequences_; }
  // The sequences owned by `table` (only those owned by `column` of it, when given).
  std::vector<const Sequence*> sequences_owned_by(
      const ObjectName& table, std::optional<std::string_view> column = {}) const;
  // The columns whose default names `sequence` (nextval('...') and the like).
  std::vector<std::pair<const Table*, const Column*>> defaults_using(
      const ObjectName& sequence) const;
  // Schemas, extensions and enum types written as `.mig` statements.
  void remove_schema(std::string_view name);
  const std::set<std::string, std::less<>>& schemas() const { return schemas_; }
  void set_schema_comment(const std::string& schema, std::optional<std::string> comment);
  std::optional<std::string> schema_comment(std::string_view schema) const;
  const Grants& schema_grants(std::string_view schema) const;  // empty when none
  void set_schema_grants(const std::string& schema, Grants);
  const EnumType* find_enum(const ObjectName&) const;
  void add_enum(EnumType);
  void remove_enum(const ObjectName&);
  void edit_enum(const ObjectName&, const std::function<void(EnumType&)>& edit);
  const std::map<ObjectName, EnumType>& enums() const { return enums_; }
  const Extension* find_extension(std::string_view name) const;
  void add_extension(Extension);
  void remove_extension(std::string_view name);
  const std::map<std::string, Extension, std::less<>>& extensions() const { return extensions_; }
  // The columns whose type is `type` or an array of it, in declaration order.
  std::vector<std::pair<const Table*, const Column*>> columns_of_type(const ObjectName& type) const;

  // Every table, in declaration order.
  auto tables() const {
    return tables_ | std::views::filter([](const auto& t) { return t.has_value(); }) |
           std::views::transform([](const auto& t) -> const Table& { return *t; });
  }

 private:
  using Position = std::size_t;  // when the table was added: declaration order
  enum class RelationKind { Table, Index, ConstraintIndex, Sequence };
  struct Relation {
    RelationKind kind;
    Position table;
  };

  void index_table(Position, const Table&);
  void unindex_table(Position, const Table&);
  const Table* first_owner(const ObjectName& name, RelationKind) const;

  std::deque<std::optional<Table>> tables_;  // by position; a dropped table leaves a hole
  std::unordered_map<ObjectName, Position> by_name_;
  std::unordered_multimap<ObjectName, Relation> relations_;
  std::unordered_map<ObjectName, std::set<Position>> referenced_by_;
  std::set<std::string, std::less<>> schemas_{"public"};
  bool any_schema_ = false;
  bool unknown_types_ = false;
  std::map<ObjectName, std::vector<Function>> functions_;
  std::map<ObjectName, View> views_;
  std::map<ObjectName, Sequence> sequences_;
  std::map<std::string, std::string, std::less<>> schema_comments_;
  // PostgreSQL 15 grants USAGE on schema public to PUBLIC.
  static std::map<std::string, Grants, std::less<>> initial_schema_grants();
  std::map<std::string, Grants, std::less<>> schema_grants_ = initial_schema_grants();
  std::map<ObjectName, EnumType> enums_;
  std::map<std::string, Extension, std::less<>> extensions_;
};

// A partition's columns: its parent's, with the partition's own column comments (PostgreSQL
// makes them without identity or sequence).
std::vector<Column> partition_columns(const std::vector<Column>& parent, const Table& partition);
// SQL for a constraint as it appears after ADD / inside CREATE TABLE:
// CONSTRAINT "name" CHECK (...) etc. (without NOT VALID).
std::string constraint_sql(const Constraint&);
// CREATE [UNIQUE] INDEX [CONCURRENTLY] "name" ON table USING ... (...) WHERE ...
std::string create_index_sql(const ObjectName& table, const Index&, bool concurrently,
                             bool if_not_exists = false);
// The column definition inside CREATE TABLE / ADD COLUMN of `table`. An identity column
// whose sequence has another name than the one it would get names it; a serial column
// whose sequence does becomes its integer type with a default from that sequence, which
// must then exist (see serial_sequence_sql).
std::string column_sql(const ObjectName& table, const Column&);
// ` GENERATED ... AS IDENTITY [(SEQUENCE NAME ...)]` of an identity column; empty otherwise.
std::string identity_sql(const ObjectName& table, const Column&);
// For a serial column whose sequence would get another name: the CREATE SEQUENCE to run
// before its column is created and the ALTER SEQUENCE ... OWNED BY to run after; nullopt
// otherwise.
std::optional<std::pair<std::string, std::string>> serial_sequence_sql(const Table& table,
                                                                       const Column&);
// Primary key, unique and exclusion constraints: backed by an index of their name.
bool owns_index(const Constraint&);
// Whether the constraint or index mentions `column`.
bool mentions_column(const Constraint&, std::string_view column);
bool mentions_column(const Index&, std::string_view column);

}  // namespace mig
