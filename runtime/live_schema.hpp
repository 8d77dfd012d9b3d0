#pragma once

// What a live database holds, read from PostgreSQL's catalog (not from pg_dump's text), for
// `mig baseline` and `mig drift`. System schemas, mig's own schema `mig` and the members of
// extensions are left out. Expressions and definitions are PostgreSQL's own deparsed text
// (pg_get_expr, pg_get_indexdef, ...); names are unquoted.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

namespace mig {

struct LiveName {
  std::string schema;
  std::string name;
  bool operator==(const LiveName&) const = default;
};

// The privileges granted on an object without grant option, by grantee (`public` for PUBLIC),
// as `INSERT, SELECT`, in the order of the object's access list; the owner's own are left out.
using LiveGrants = std::vector<std::pair<std::string, std::string>>;

// A domain, a composite or a range type, which the language has not: the SQL that creates it.
struct LiveSqlType {
  LiveName name;
  std::string definition;  // CREATE DOMAIN ... / CREATE TYPE ... AS (...) / AS RANGE (...)
  std::string kind;        // domain, type
  std::optional<std::string> comment;
};

// A sequence: its options, as PostgreSQL prints them.
struct LiveSequence {
  LiveName name;
  std::string type;  // smallint, integer, bigint
  std::string start, increment, minimum, maximum, cache;
  bool cycle = false;
  std::optional<std::pair<LiveName, std::string>> owned_by;  // table, column
  std::optional<std::string> comment;

  bool has_default_options() const;  // those of `create sequence S as TYPE`
};

struct LiveColumn {
  std::string name;
  std::string type;  // format_type: `character varying(20)`, `app.mood`
  bool not_null = false;
  std::optional<std::string> default_expression;  // for a stored generated column: its expression
  char identity = 0;                              // 'a' always, 'd' by default, 0 none
  bool generated_stored = false;
  // `serial`: not null, its default the next value of a sequence the column owns, named
  // `<table>_<column>_seq`, of the column's type and with the default options.
  bool serial = false;
  std::optional<LiveSequence> identity_sequence;
  std::optional<std::string> collation;  // only when not the type's default
  std::optional<std::string> comment;
};

struct LiveConstraint {
  std::string name;
  char kind = 0;  // 'p', 'u', 'c', 'f', 'x'
  std::vector<std::string> columns;
  std::optional<LiveName> referenced_table;  // foreign keys
  std::vector<std::string> referenced_columns;
  char on_delete = 'a', on_update = 'a', match = 's';  // pg_constraint's codes
  std::vector<std::string> set_columns;                // `on delete set null (these)`
  bool deferrable = false;
  bool validated = true;
  bool no_inherit = false;
  std::string check_expression;  // checks
  std::string definition;        // pg_get_constraintdef
  std::optional<std::string> comment;
};

struct LiveTable {
  LiveName name;
  std::vector<LiveColumn> columns;
  std::vector<LiveConstraint> constraints;
  std::optional<std::string> comment;
  bool unlogged = false;
  bool row_security = false;
  bool force_row_security = false;
  std::vector<std::pair<std::string, std::string>> storage_parameters;  // fillfactor, 70
  LiveGrants grants;
  std::string partition_key;             // pg_get_partkeydef: `RANGE (at)`; empty: not partitioned
  std::optional<LiveName> partition_of;  // the partitioned table of a partition
  std::string partition_bound;           // `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`
};

struct LiveIndex {
  LiveName table;
  std::string name;
  std::string definition;            // pg_get_indexdef
  std::vector<std::string> columns;  // every column it uses, in keys, expressions or `where`
  bool on_materialized_view = false;
  std::optional<std::string> comment;
  bool valid = true;  // false: a concurrent build that failed left it behind
};

struct LiveEnum {
  LiveName name;
  std::vector<std::string> values;
  std::optional<std::string> comment;
};

struct LiveFunction {
  std::string signature;  // regprocedure: `app.touch()`
  std::string language;
  std::string definition;  // pg_get_functiondef
  std::optional<std::string> comment;
  bool used_by_tables = false;  // by a column default or a check constraint
};

struct LiveView {
  LiveName name;
  bool materialized = false;
  std::string query;                  // pg_get_viewdef, pretty, without the final `;`
  std::vector<LiveName> reads_views;  // the views it reads, to create them first
  std::optional<std::string> comment;
  LiveGrants grants;
  bool populated = true;  // a materialized view's rows are there (not `with no data`)
};

struct LiveTrigger {
  LiveName table;
  std::string name;
  std::string definition;  // pg_get_triggerdef
  char enabled = 'O';      // pg_trigger.tgenabled: 'O' on, 'D' disabled, 'R' replica, 'A' always
  std::optional<std::string> comment;
};

struct LivePolicy {
  LiveName table;
  std::string name;
  std::string definition;  // AS ... FOR ... TO ... USING (...) WITH CHECK (...), from pg_policies
};

struct LiveSchema {
  std::string name;
  std::optional<std::string> comment;
  LiveGrants grants;
};

// A privilege the language cannot grant: on a sequence or a function, on some columns of a
// table, or with the right to grant it on (the others are in the objects' LiveGrants).
struct LivePrivilege {
  std::string kind;        // table (views too), sequence, function
  LiveName object;         // a function's name is its signature (regprocedure): `app.f(integer)`
  std::string grantee;     // `public` for PUBLIC
  std::string privileges;  // `SELECT, UPDATE`
  std::vector<std::string> columns;  // empty: the whole object
  bool grantable = false;
  bool revoked = false;  // a default privilege taken away: EXECUTE on a function from PUBLIC
};

struct LiveExtension {
  std::string name;
  std::string schema;
};

// An object of the database that is not read in detail, and why mig baseline cannot write it.
struct LiveObjectSkipped {
  std::string object;  // pg_describe_object's words: `table app.events`
  std::string reason;
};

struct LiveDatabase {
  std::vector<LiveSchema> schemas;  // public too
  std::vector<LiveExtension> extensions;
  std::vector<LiveEnum> enums;
  std::vector<LiveSqlType> sql_types;   // in the order they were created
  std::vector<LiveSequence> sequences;  // but those of identity and `serial` columns
  std::vector<LiveFunction> functions;
  // Ordinary and partitioned tables and partitions, unlogged ones and those with row-level
  // security or storage parameters too; not tables that inherit (those are `skipped`).
  std::vector<LiveTable> tables;
  std::vector<LiveIndex> indexes;  // but those of constraints
  std::vector<LiveView> views;
  std::vector<LiveTrigger> triggers;
  std::vector<LivePolicy> policies;
  std::vector<LivePrivilege> privileges;
  std::vector<LiveObjectSkipped> skipped;
};

LiveDatabase read_live_schema(pqxx::connection&);

}  // namespace mig
