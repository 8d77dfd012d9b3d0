#pragma once

// Functions, triggers and views as the schema model keeps them: each with the text that
// re-creates it exactly (downgrades of drops and replacements are written from it) and
// what it depends on (what may not be dropped under it).

#include <optional>
#include <string>
#include <vector>

#include "compiler/model/access.hpp"
#include "compiler/model/index.hpp"
#include "compiler/sql/quote.hpp"

namespace mig {

struct Function {
  ObjectName name;
  // The types of the arguments that identify it (in, inout and variadic), as SQL types:
  // `int4`, `text[]`, `"myschema"."MyType"`. Two functions with the same name and
  // argument types are the same function.
  std::vector<std::string> argument_types;
  // Everything after the name, as written: `() returns trigger language plpgsql as $$ ... $$`.
  std::string definition;
  int version = 0;  // the migration that defined it last
  // A `create or replace` keeps what was granted.
  Grants grants = initial_grants();
  std::optional<std::string> comment{};

  // What PostgreSQL grants on a new function: EXECUTE to PUBLIC.
  static Grants initial_grants() { return Grants::initial("public", {"EXECUTE"}); }
  std::string signature() const;     // public.f(int4, text), for messages
  std::string identity_sql() const;  // "public"."f"(int4, text)
};

std::string create_function_sql(const Function&, bool or_replace);
std::string drop_function_sql(const Function&);

// A trigger, kept on its table: its statement is written with the table's current name.
struct Trigger {
  std::string name;
  std::string events;     // BEFORE UPDATE OF a, b OR INSERT (as written)
  std::string condition;  // FOR EACH ROW WHEN (...) (as written; may be empty)
  ObjectName function;
  std::string arguments;             // `()` or `('a', 1)`, as written
  std::vector<std::string> columns;  // of its table, in UPDATE OF and in WHEN
  std::optional<std::string> comment{};
};

std::string create_trigger_sql(const ObjectName& table, const Trigger&);

struct ColumnOf {
  ObjectName table;
  std::string column;
  bool operator==(const ColumnOf&) const = default;
};

struct View {
  ObjectName name;
  std::vector<std::string> columns;  // the column names written after the view's name
  std::string query;                 // the query after AS, as PostgreSQL runs it now
  std::vector<ObjectName> reads;     // tables and views, in the order the query names them
  std::vector<ColumnOf> columns_read;
  int version = 0;
  // Why `query` no longer re-creates the view as PostgreSQL keeps it (a rename mig could
  // not follow in the text); empty while it does.
  std::string stale;
  Grants grants;
  std::optional<std::string> comment;
  // A materialized view: its rows are stored, `populated` unless created `with no data`,
  // and it may have indexes.
  bool materialized = false;
  bool populated = true;
  std::vector<Index> indexes;

  bool reads_column(const ObjectName& table, std::string_view column) const;
};

// CREATE [OR REPLACE] VIEW, or CREATE MATERIALIZED VIEW ... [WITH NO DATA].
std::string create_view_sql(const View&, bool or_replace);
// A unique index a concurrent refresh can use: plain column keys, no WHERE.
const Index* refresh_key(const View&);

}  // namespace mig
