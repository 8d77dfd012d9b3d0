#include "cli/baseline_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "compiler/lint/lint_support.hpp"
#include "compiler/sql/quote.hpp"

namespace mig::cli {

namespace {

// A name as a migration writes it. PostgreSQL's reserved words (and those that may not
// name a type or function), and words the language reads at a name's place, are quoted.
std::string name_of(const std::string& name) {
  static const std::set<std::string> words{"all",
                                           "analyse",
                                           "analyze",
                                           "and",
                                           "any",
                                           "array",
                                           "as",
                                           "asc",
                                           "asymmetric",
                                           "authorization",
                                           "binary",
                                           "both",
                                           "case",
                                           "cast",
                                           "check",
                                           "collate",
                                           "collation",
                                           "column",
                                           "concurrently",
                                           "constraint",
                                           "create",
                                           "cross",
                                           "current_catalog",
                                           "current_date",
                                           "current_role",
                                           "current_schema",
                                           "current_time",
                                           "current_timestamp",
                                           "current_user",
                                           "default",
                                           "deferrable",
                                           "desc",
                                           "distinct",
                                           "do",
                                           "else",
                                           "end",
                                           "except",
                                           "false",
                                           "fetch",
                                           "for",
                                           "foreign",
                                           "freeze",
                                           "from",
                                           "full",
                                           "generated",
                                           "grant",
                                           "group",
                                           "having",
                                           "ilike",
                                           "in",
                                           "initially",
                                           "inner",
                                           "intersect",
                                           "into",
                                           "is",
                                           "isnull",
                                           "join",
                                           "key",
                                           "lateral",
                                           "leading",
                                           "left",
                                           "like",
                                           "limit",
                                           "localtime",
                                           "localtimestamp",
                                           "natural",
                                           "not",
                                           "notnull",
                                           "null",
                                           "offset",
                                           "on",
                                           "only",
                                           "or",
                                           "order",
                                           "outer",
                                           "overlaps",
                                           "placing",
                                           "primary",
                                           "references",
                                           "returning",
                                           "right",
                                           "select",
                                           "session_user",
                                           "similar",
                                           "some",
                                           "symmetric",
                                           "table",
                                           "tablesample",
                                           "then",
                                           "to",
                                           "trailing",
                                           "true",
                                           "union",
                                           "unique",
                                           "user",
                                           "using",
                                           "variadic",
                                           "verbose",
                                           "when",
                                           "where",
                                           "window",
                                           "with"};
  return words.contains(name) ? quote_ident(name) : written(name);
}

std::string name_of(const LiveName& name) {
  return name.schema == "public" ? name_of(name.name)
                                 : name_of(name.schema) + "." + name_of(name.name);
}

// `<table>_<column>_seq`: the sequence an identity or serial column of the table gets.
LiveName column_sequence_name(const LiveTable& table, const LiveColumn& column) {
  return {table.name.schema, table.name.name + "_" + column.name + "_seq"};
}

std::string sql_name(const LiveName& name) {
  return quote_ident(name.schema) + "." + quote_ident(name.name);
}

std::string column_list(const std::vector<std::string>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(name_of(column));
  return fmt::format("({})", fmt::join(names, ", "));
}

std::string referential_action(char code) {
  switch (code) {
    case 'r':
      return "restrict";
    case 'c':
      return "cascade";
    case 'n':
      return "set null";
    case 'd':
      return "set default";
    default:
      return "no action";
  }
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class Writer {
 public:
  explicit Writer(const LiveDatabase& db) : db_(db) {}

  BaselineSource write() {
    for (const auto& schema : db_.schemas) line("create schema " + name_of(schema.name));
    for (const auto& extension : db_.extensions)
      line(fmt::format("create extension {} schema {}", name_of(extension.name),
                       name_of(extension.schema)));
    for (const auto& type : db_.enums) {
      std::vector<std::string> values;
      for (const auto& value : type.values) values.push_back(quote_literal(value));
      line(fmt::format("create type {} as enum ({})", name_of(type.name), fmt::join(values, ", ")));
    }
    for (const auto& q : db_.sequences)
      line(
          fmt::format("create sequence {} as {} increment by {} minvalue {} maxvalue {} start "
                      "with {} cache {}{}",
                      name_of(q.name), q.type, q.increment, q.minimum, q.maximum, q.start, q.cache,
                      q.cycle ? " cycle" : ""));
    for (const auto& type : db_.sql_types)
      raw(type.kind + " " + sql_name(type.name),
          type.kind == "domain" ? "domains are not in the language"
                                : "composite and range types are not in the language",
          type.definition, fmt::format("drop {} {}", type.kind, sql_name(type.name)));
    // A function is checked against the tables it names (a SQL body, `%ROWTYPE`, a row
    // argument) when it is created: only those a table's defaults or checks use come first.
    for (const auto& function : db_.functions)
      if (function.used_by_tables) write_function(function);
    write_tables();
    for (const auto& function : db_.functions)
      if (!function.used_by_tables) write_function(function);
    for (const auto& table : db_.tables) write_constraints(table, false);
    for (const auto& q : db_.sequences)
      if (q.owned_by)
        line(fmt::format("alter sequence {} owned by {}.{}", name_of(q.name),
                         name_of(q.owned_by->first), name_of(q.owned_by->second)));
    for (const auto& table : db_.tables)
      for (const auto& column : table.columns) write_identity_options(table, column);
    for (const auto& index : db_.indexes)
      if (!index.on_materialized_view) write_index(index);
    for (const auto& table : db_.tables) write_constraints(table, true);
    write_row_security();
    write_views();
    for (const auto& index : db_.indexes)
      if (index.on_materialized_view) write_index(index);
    for (const auto& trigger : db_.triggers) write_trigger(trigger);
    write_comments();
    write_grants();
    for (const auto& skipped : db_.skipped)
      source_.notes.push_back(fmt::format("not written: {}: {}", skipped.object, skipped.reason));
    return std::move(source_);
  }

 private:
  void line(const std::string& text) { source_.text += text + "\n"; }

  void raw(const std::string& object, const std::string& reason, const std::string& up,
           const std::string& down) {
    source_.text += fmt::format("sql {{\n  {}\n}} down {{\n  {}\n}}\n", up, down);
    source_.notes.push_back(fmt::format("written as sql {{ }}: {}: {}", object, reason));
  }

  void write_function(const LiveFunction& function) {
    const auto& definition = function.definition;
    const auto as = definition.find("\nAS $");
    const std::string prefix = "CREATE OR REPLACE FUNCTION ";
    if (as == std::string::npos || !definition.starts_with(prefix)) {
      raw_functions_.insert(function.signature);
      raw("function " + function.signature, "its body is not in dollar quotes",
          definition.substr(0, definition.find_last_not_of('\n') + 1),
          "drop function " + function.signature);
      return;
    }
    auto header = definition.substr(prefix.size(), as - prefix.size());
    std::replace(header.begin(), header.end(), '\n', ' ');
    auto body = definition.substr(as + 4);
    body.erase(body.find_last_not_of('\n') + 1);
    line(fmt::format("create function {} as {}", header, body));
  }

  // Partitions after the table they are partitions of (every parent is written:
  // baseline_source leaves out the partitions of a table it leaves out).
  void write_tables() {
    std::set<std::string> written;
    while (written.size() < db_.tables.size())
      for (const auto& table : db_.tables)
        if (!written.contains(sql_name(table.name)) &&
            (!table.partition_of || written.contains(sql_name(*table.partition_of)))) {
          write_table(table);
          written.insert(sql_name(table.name));
        }
  }

  // Inside `create table`: a validated primary key, unique or check the language has.
  bool in_table_body(const LiveTable& table, const LiveConstraint& c) const {
    if (table.partition_of || !c.validated) return false;
    if (c.kind == 'c') return !c.no_inherit;
    if (c.kind != 'p' && c.kind != 'u') return false;
    return !c.deferrable && !contains(c.definition, " INCLUDE (") &&
           !contains(c.definition, "NULLS NOT DISTINCT") && !contains(c.definition, " WITH (") &&
           !contains(c.definition, " TABLESPACE ");
  }

  // A partition's columns get its parent's defaults and `not null` when it is created; one
  // attached later keeps its own.
  void write_partition_columns(const LiveTable& partition) {
    const auto parent = std::find_if(db_.tables.begin(), db_.tables.end(), [&](const LiveTable& t) {
      return sql_name(t.name) == sql_name(*partition.partition_of);
    });
    const auto table_sql = sql_name(partition.name);
    for (const auto& column : partition.columns) {
      const auto from = std::find_if(parent->columns.begin(), parent->columns.end(),
                                     [&](const LiveColumn& c) { return c.name == column.name; });
      if (from == parent->columns.end() || column.generated_stored || column.identity) continue;
      const auto alter =
          fmt::format("alter table {} alter column {} ", table_sql, quote_ident(column.name));
      const auto set_default = [](const std::optional<std::string>& expression) {
        return expression ? "set default " + *expression : std::string("drop default");
      };
      const auto object = fmt::format("column {}.{}", table_sql, quote_ident(column.name));
      if (column.default_expression != from->default_expression)
        raw(object, "a partition's own default is not in the language",
            alter + set_default(column.default_expression),
            alter + set_default(from->default_expression));
      if (column.not_null && !from->not_null)
        raw(object, "a partition's own not null is not in the language", alter + "set not null",
            alter + "drop not null");
    }
  }

  void write_table(const LiveTable& table) {
    const auto partitioned_by =
        table.partition_key.empty() ? "" : " partition by " + table.partition_key;
    if (table.partition_of) {  // its columns are its parent's
      line(fmt::format("create table {} partition of {} {}{}", name_of(table.name),
                       name_of(*table.partition_of), table.partition_bound, partitioned_by));
      write_storage_parameters(table);
      write_partition_columns(table);
      return;
    }
    line(fmt::format("create {}table {} {{", table.unlogged ? "unlogged " : "",
                     name_of(table.name)));
    for (const auto& column : table.columns) {
      std::string text = "  " + name_of(column.name) + " ";
      if (column.serial && column.type == "integer")
        text += "serial";
      else if (column.serial && column.type == "bigint")
        text += "bigserial";
      else if (column.serial && column.type == "smallint")
        text += "smallserial";
      else
        text += column.type;
      if (column.collation) text += " collate " + *column.collation;
      if (column.not_null) text += " not null";
      if (column.generated_stored)
        text += " generated always as (" + column.default_expression.value_or("") + ") stored";
      if (column.identity)
        text += column.identity == 'a' ? " generated always as identity"
                                       : " generated by default as identity";
      if (column.default_expression && !column.serial && !column.generated_stored)
        text += " default " + *column.default_expression;
      line(text);
    }
    for (const auto& c : table.constraints) {
      if (!in_table_body(table, c)) continue;
      if (c.kind == 'p')
        line(fmt::format("  primary key {} {}", name_of(c.name), column_list(c.columns)));
      if (c.kind == 'u')
        line(fmt::format("  unique {} {}", name_of(c.name), column_list(c.columns)));
      if (c.kind == 'c') line(fmt::format("  check {} ({})", name_of(c.name), c.check_expression));
      if (c.kind == 'p' || c.kind == 'u') keys_.insert({sql_name(table.name), c.columns});
    }
    line("}" + partitioned_by);
    write_storage_parameters(table);
  }

  void write_storage_parameters(const LiveTable& table) {
    if (table.storage_parameters.empty()) return;
    std::vector<std::string> set, names;
    for (const auto& [name, value] : table.storage_parameters) {
      set.push_back(name + " = " + quote_literal(value));
      names.push_back(name);
    }
    const auto table_sql = sql_name(table.name);
    raw("table " + table_sql, "storage parameters (WITH (...)) are not in the language",
        fmt::format("alter table {} set ({})", table_sql, fmt::join(set, ", ")),
        fmt::format("alter table {} reset ({})", table_sql, fmt::join(names, ", ")));
  }

  // After every table: constraints not validated, those the language cannot write, and
  // foreign keys, which come after the indexes: one may reference a unique index.
  void write_constraints(const LiveTable& table, bool foreign_keys) {
    const auto table_sql = sql_name(table.name);
    for (const auto& c : table.constraints) {
      if (in_table_body(table, c) || (c.kind == 'f') != foreign_keys) continue;
      const auto reason = unwritable_reason(c);
      if (reason.empty() && c.kind == 'c') {
        line(fmt::format("alter table {} add check {} ({}){}", name_of(table.name), name_of(c.name),
                         c.check_expression, c.validated ? "" : " not valid"));
      } else if (reason.empty() && c.kind == 'x') {
        // pg_get_constraintdef: EXCLUDE USING gist (k WITH op, ...) [WHERE (...)]
        line(fmt::format("alter table {} add exclude {} {}", name_of(table.name), name_of(c.name),
                         c.definition.substr(std::string_view("EXCLUDE ").size())));
      } else if (reason.empty()) {
        std::string text =
            fmt::format("alter table {} add foreign key {} {} references {} {}",
                        name_of(table.name), name_of(c.name), column_list(c.columns),
                        name_of(*c.referenced_table), column_list(c.referenced_columns));
        if (c.on_delete != 'a') text += " on delete " + referential_action(c.on_delete);
        if (!c.set_columns.empty()) text += " " + column_list(c.set_columns);
        if (c.on_update != 'a') text += " on update " + referential_action(c.on_update);
        if (!c.validated) text += " not valid";
        line(text);
      } else {
        raw(fmt::format("constraint {} on table {}", c.name, table_sql), reason,
            fmt::format("alter table {} add constraint {} {}", table_sql, quote_ident(c.name),
                        c.definition),
            fmt::format("alter table {} drop constraint {}", table_sql, quote_ident(c.name)));
      }
    }
  }

  void write_row_security() {
    for (const auto& table : db_.tables) {
      if (table.row_security)
        line(fmt::format("alter table {} enable row level security", name_of(table.name)));
      if (table.force_row_security)
        line(fmt::format("alter table {} force row level security", name_of(table.name)));
    }
    for (const auto& policy : db_.policies)
      line(fmt::format("create policy {} on {} {}", name_of(policy.name), name_of(policy.table),
                       policy.definition));
  }

  // Why a constraint outside the table body must be raw SQL; empty when the language has it.
  std::string unwritable_reason(const LiveConstraint& c) const {
    if (c.deferrable) return "deferrable constraints are not in the language";
    if (c.kind == 'x') return "";
    if (c.kind == 'c') return c.no_inherit ? "no inherit is not in the language" : "";
    if (c.kind != 'f') return "its index options are not in the language";
    if (c.match == 'f') return "match full is not in the language";
    if (!keys_.contains({sql_name(*c.referenced_table), c.referenced_columns}))
      return "the key it references is not a primary key or unique constraint of the language";
    return "";
  }

  // Why an index must be raw SQL; empty when the language has it.
  static std::string unwritable_reason(const LiveIndex& index) {
    if (contains(index.definition, " TABLESPACE ")) return "tablespaces are not in the language";
    return "";
  }

  void write_index(const LiveIndex& index) {
    const auto& d = index.definition;
    const auto object = fmt::format("index {}", sql_name({index.table.schema, index.name}));
    if (const auto reason = unwritable_reason(index); !reason.empty()) {
      raw(object, reason, d, "drop index " + sql_name({index.table.schema, index.name}));
      return;
    }
    for (std::string_view prefix : {"CREATE UNIQUE INDEX ", "CREATE INDEX "})
      if (d.starts_with(prefix)) {
        std::string words(prefix);
        std::transform(words.begin(), words.end(), words.begin(), ::tolower);
        auto rest = d.substr(prefix.size());
        // An index of a partitioned table: `ON ONLY` is how PostgreSQL writes it; created on
        // the table, it is built on each partition, as it was.
        if (const auto only = rest.find(" ON ONLY "); only != std::string::npos)
          rest.replace(only, 9, " ON ");
        line(words + rest);
      }
  }

  // Views after the views they read.
  void write_views() {
    std::map<std::string, const LiveView*> by_name;
    for (const auto& view : db_.views) by_name[sql_name(view.name)] = &view;
    std::set<std::string> done;
    std::function<void(const LiveView&)> write = [&](const LiveView& view) {
      const auto key = sql_name(view.name);
      if (!done.insert(key).second) return;
      for (const auto& read : view.reads_views)
        if (by_name.contains(sql_name(read))) write(*by_name[sql_name(read)]);
      line(fmt::format("create {} {} as (\n{}\n){}",
                       view.materialized ? "materialized view" : "view", name_of(view.name),
                       view.query, view.materialized && !view.populated ? " with no data" : ""));
    };
    for (const auto& view : db_.views) write(view);
  }

  void write_trigger(const LiveTrigger& trigger) {
    const std::string prefix = "CREATE TRIGGER ";
    if (trigger.definition.starts_with(prefix)) {
      line("create trigger " + trigger.definition.substr(prefix.size()));
      return;
    }
    raw(fmt::format("trigger {} on table {}", trigger.name, sql_name(trigger.table)),
        "constraint triggers are not in the language", trigger.definition,
        fmt::format("drop trigger {} on {}", quote_ident(trigger.name), sql_name(trigger.table)));
  }

  void comment(const std::string& target, const std::string& sql_target,
               const std::optional<std::string>& text, const std::string& reason = "") {
    if (!text) return;
    if (reason.empty()) {
      line(fmt::format("comment on {} is {}", target, quote_literal(*text)));
      return;
    }
    raw("comment on " + sql_target, reason,
        fmt::format("comment on {} is {}", sql_target, quote_literal(*text)),
        fmt::format("comment on {} is null", sql_target));
  }

  // An identity column's sequence options other than PostgreSQL's defaults.
  void write_identity_options(const LiveTable& table, const LiveColumn& column) {
    if (!column.identity_sequence) return;
    const auto& q = *column.identity_sequence;
    const auto column_sql = fmt::format("{}.{}", sql_name(table.name), quote_ident(column.name));
    const auto default_name = column_sequence_name(table, column).name;
    if (q.name.name != default_name && default_name.size() <= 63)
      source_.notes.push_back(
          fmt::format("not written: the name of the sequence of identity column {}, {}: the "
                      "language names it {}",
                      column_sql, quote_ident(q.name.name), quote_ident(default_name)));
    if (q.has_default_options()) return;
    const auto alter = fmt::format("alter table {} alter column {} ", sql_name(table.name),
                                   quote_ident(column.name));
    raw("column " + column_sql,
        "the options of an identity column's sequence are not in the language",
        alter + fmt::format("set increment by {} set minvalue {} set maxvalue {} set start with {} "
                            "set cache {} set {}cycle restart",
                            q.increment, q.minimum, q.maximum, q.start, q.cache,
                            q.cycle ? "" : "no "),
        alter +
            "set increment by 1 set no minvalue set no maxvalue set start with 1 set cache 1 "
            "set no cycle restart");
  }

  void write_comments() {
    for (const auto& schema : db_.schemas)
      comment("schema " + name_of(schema.name), "schema " + quote_ident(schema.name),
              schema.comment);
    for (const auto& type : db_.enums)
      comment("type " + name_of(type.name), "type " + sql_name(type.name), type.comment);
    for (const auto& table : db_.tables) {
      comment("table " + name_of(table.name), "table " + sql_name(table.name), table.comment);
      for (const auto& column : table.columns)
        comment(fmt::format("column {}.{}", name_of(table.name), name_of(column.name)),
                fmt::format("column {}.{}", sql_name(table.name), quote_ident(column.name)),
                column.comment);
    }
    for (const auto& view : db_.views) {
      const std::string kind = view.materialized ? "materialized view " : "view ";
      comment(kind + name_of(view.name), kind + sql_name(view.name), view.comment);
    }
    for (const auto& type : db_.sql_types)
      comment("", type.kind + " " + sql_name(type.name), type.comment,
              "its type is written as sql { }");
    for (const auto& q : db_.sequences)
      comment("sequence " + name_of(q.name), "sequence " + sql_name(q.name), q.comment);
    for (const auto& function : db_.functions)
      comment(
          "function " + function.signature, "function " + function.signature, function.comment,
          raw_functions_.contains(function.signature) ? "its function is written as sql { }" : "");
    for (const auto& table : db_.tables)
      for (const auto& c : table.constraints)
        comment(fmt::format("constraint {} on {}", name_of(c.name), name_of(table.name)),
                fmt::format("constraint {} on {}", quote_ident(c.name), sql_name(table.name)),
                c.comment,
                in_table_body(table, c) || unwritable_reason(c).empty()
                    ? ""
                    : "its constraint is written as sql { }");
    for (const auto& index : db_.indexes)
      comment("index " + name_of({index.table.schema, index.name}),
              "index " + sql_name({index.table.schema, index.name}), index.comment,
              unwritable_reason(index).empty() ? "" : "its index is written as sql { }");
    for (const auto& trigger : db_.triggers)
      comment(fmt::format("trigger {} on {}", name_of(trigger.name), name_of(trigger.table)),
              fmt::format("trigger {} on {}", quote_ident(trigger.name), sql_name(trigger.table)),
              trigger.comment,
              trigger.definition.starts_with("CREATE TRIGGER ")
                  ? ""
                  : "its trigger is written as sql { }");
  }

  // Privileges grantee by grantee, in the order of each object's access list, so that the
  // list comes back the same.
  void write_grants() {
    const auto grant = [&](const std::string& target, const LiveGrants& grants) {
      for (const auto& [grantee, privileges] : grants) {
        auto list = privileges;
        std::transform(list.begin(), list.end(), list.begin(), ::tolower);
        line(fmt::format("grant {} on {} to {}", list, target,
                         grantee == "public" ? grantee : name_of(grantee)));
      }
    };
    for (const auto& schema : db_.schemas) grant("schema " + name_of(schema.name), schema.grants);
    for (const auto& table : db_.tables) grant(name_of(table.name), table.grants);
    for (const auto& view : db_.views) grant(name_of(view.name), view.grants);
    for (const auto& p : db_.privileges) {
      auto list = p.privileges;
      std::transform(list.begin(), list.end(), list.begin(), ::tolower);
      if (!p.columns.empty()) {
        std::vector<std::string> columns;
        for (const auto& column : p.columns) columns.push_back(quote_ident(column));
        list += fmt::format(" ({})", fmt::join(columns, ", "));
      }
      const bool sequence_written =
          std::any_of(db_.sequences.begin(), db_.sequences.end(),
                      [&](const LiveSequence& q) { return q.name == p.object; }) ||
          is_column_sequence(p.object);
      if (!p.grantable && p.columns.empty() &&
          ((p.kind == "function" && !raw_functions_.contains(p.object.name)) ||
           (p.kind == "sequence" && sequence_written))) {
        const auto target =
            p.kind + " " + (p.kind == "function" ? p.object.name : name_of(p.object));
        const auto role = p.grantee == "public" ? p.grantee : name_of(p.grantee);
        line(p.revoked ? fmt::format("revoke {} on {} from {}", list, target, role)
                       : fmt::format("grant {} on {} to {}", list, target, role));
        continue;
      }
      const auto target =
          p.kind + " " + (p.kind == "function" ? p.object.name : sql_name(p.object));
      const auto role = p.grantee == "public" ? p.grantee : quote_ident(p.grantee);
      const auto grant = fmt::format("grant {} on {} to {}{}", list, target, role,
                                     p.grantable ? " with grant option" : "");
      const auto revoke = fmt::format("revoke {} on {} from {}", list, target, role);
      raw("privileges on " + target,
          p.kind != "table"    ? "privileges on " + p.kind + "s are not in the language"
          : !p.columns.empty() ? "privileges on columns are not in the language"
                               : "grant options are not in the language",
          p.revoked ? revoke : grant, p.revoked ? grant : revoke);
    }
  }

  // Whether `name` is the sequence of an identity column or of a column written `serial`.
  bool is_column_sequence(const LiveName& name) const {
    for (const auto& table : db_.tables)
      for (const auto& column : table.columns)
        if ((column.identity_sequence && column.identity_sequence->name == name) ||
            (column.serial && column_sequence_name(table, column) == name))
          return true;
    return false;
  }

  const LiveDatabase& db_;
  BaselineSource source_;
  std::set<std::string> raw_functions_;                              // their signatures
  std::set<std::pair<std::string, std::vector<std::string>>> keys_;  // table, key columns
};

}  // namespace

BaselineSource baseline_source(const LiveDatabase& db) {
  // What the language cannot write is left out, with the reason.
  LiveDatabase writable = db;
  std::erase_if(writable.schemas, [](const LiveSchema& s) { return s.name == "public"; });
  const auto described = [](const LiveName& name) {
    return name.schema == "public" ? written(name.name)
                                   : written(name.schema) + "." + written(name.name);
  };
  // A partition whose partitioned table is not read (a member of an extension, say) is left
  // out, and its own partitions with it; so are the policies of a table not written.
  std::set<std::string> kept;  // tables, by sql_name
  for (const auto& table : writable.tables) kept.insert(sql_name(table.name));
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& table : writable.tables)
      if (table.partition_of && !kept.contains(sql_name(*table.partition_of)) &&
          kept.erase(sql_name(table.name))) {
        writable.skipped.push_back(
            {"table " + described(table.name), "its partitioned table is not written"});
        changed = true;
      }
  }
  std::erase_if(writable.tables,
                [&](const LiveTable& table) { return !kept.contains(sql_name(table.name)); });
  std::erase_if(writable.policies, [&](const LivePolicy& policy) {
    if (kept.contains(sql_name(policy.table))) return false;
    writable.skipped.push_back(
        {fmt::format("policy {} on table {}", written(policy.name), described(policy.table)),
         "its table is not written"});
    return true;
  });
  std::erase_if(writable.privileges, [&](const LivePrivilege& p) {
    return std::any_of(db.tables.begin(), db.tables.end(), [&](const LiveTable& table) {
      return sql_name(table.name) == sql_name(p.object) && !kept.contains(sql_name(p.object));
    });
  });
  std::sort(writable.skipped.begin(), writable.skipped.end(),
            [](const auto& a, const auto& b) { return a.object < b.object; });
  return Writer(writable).write();
}

}  // namespace mig::cli
