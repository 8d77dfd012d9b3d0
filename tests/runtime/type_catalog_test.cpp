// The compiler's type checks against a real PostgreSQL: the types it accepts are the types
// the server knows, and the foreign keys it refuses for their column types are the ones
// the server refuses.

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "compiler/sql/types.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

bool server_accepts(const std::string& url, const std::string& sql) {
  try {
    execute(url, sql);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Built in, as the compiler judges a column type it has no other knowledge of.
bool compiler_knows(const std::string& type) {
  const auto name = type_name(type);
  return name && (name->serial || is_builtin_type(name->name));
}

TEST_CASE("the compiler's built-in column types are the server's", "[types]") {
  const auto url = fresh_database();
  const std::vector<std::string> types = {"int",
                                          "integer",
                                          "int4",
                                          "bigint",
                                          "smallint",
                                          "serial",
                                          "bigserial",
                                          "varchar(20)",
                                          "character varying",
                                          "char(2)",
                                          "double precision",
                                          "real",
                                          "numeric(12, 2)",
                                          "decimal",
                                          "boolean",
                                          "bool",
                                          "text[]",
                                          "int[][]",
                                          "_int4",
                                          "timestamp with time zone",
                                          "timestamp(3) without time zone",
                                          "timestamptz",
                                          "time with time zone",
                                          "interval day to second",
                                          "bit varying(8)",
                                          "jsonb",
                                          "uuid",
                                          "int4range",
                                          "tstzmultirange",
                                          "inet",
                                          "pg_catalog.int8",
                                          "strnig",
                                          "string",
                                          "datetime",
                                          "intger",
                                          "citext",
                                          "pg_catalog.txet"};
  for (std::size_t i = 0; i < types.size(); ++i) {
    INFO("type " << types[i]);
    CHECK(compiler_knows(types[i]) ==
          server_accepts(url, fmt::format("CREATE TABLE t{} (c {})", i, types[i])));
  }
}

TEST_CASE("foreign keys the compiler refuses for their types are the server's refusals",
          "[types]") {
  const auto url = fresh_database();
  const std::vector<std::string> types = {
      "smallint", "int",   "bigint", "numeric(10)", "double precision", "text", "varchar(20)",
      "char(4)",  "uuid",  "date",   "timestamp",   "timestamptz",      "time", "interval",
      "boolean",  "bytea", "inet",   "jsonb"};
  int refused = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    execute(url, fmt::format("CREATE TABLE referenced{} (k {} UNIQUE)", i, types[i]));
    for (std::size_t j = 0; j < types.size(); ++j) {
      INFO(types[j] << " referencing " << types[i]);
      const bool server = server_accepts(
          url, fmt::format("CREATE TABLE referencing{}_{} (k {} REFERENCES referenced{} (k))", i, j,
                           types[j], i));
      CHECK(foreign_key_types_incompatible(types[j], types[i]) == !server);
      refused += !server;
    }
  }
  CHECK(refused > 200);  // most pairs: the test compares both answers, not only one
}

TEST_CASE("types the compiler cannot judge are left to the server", "[types]") {
  CHECK_FALSE(foreign_key_types_incompatible("text[]", "bigint"));
  CHECK_FALSE(foreign_key_types_incompatible("citext", "bigint"));
  CHECK_FALSE(foreign_key_types_incompatible("text", "auth.account_id"));
}

}  // namespace
}  // namespace mig::test
