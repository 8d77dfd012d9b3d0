// Statements of one shape share a tree (`StatementShapes`): whatever is shared, each
// statement's tree must be exactly the one PostgreSQL's parser gives it alone.

#include "compiler/sql/statement_shapes.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

using mig::one_statement;
using mig::SqlError;
using mig::StatementShapes;
using nlohmann::json;

namespace {

// Parses `sql` both ways and requires the same tree or the same error; returns the tree's
// address, which tells a shared tree from one parsed whole.
const json* same_as_alone(StatementShapes& shapes, const std::string& sql) {
  INFO(sql);
  const auto shared = shapes.parse(sql);
  const auto alone = one_statement(sql);
  if (const auto* error = std::get_if<SqlError>(&alone)) {
    REQUIRE(std::holds_alternative<SqlError>(shared));
    CHECK(std::get<SqlError>(shared).message == error->message);
    CHECK(std::get<SqlError>(shared).offset == error->offset);
    return nullptr;
  }
  REQUIRE(std::holds_alternative<const json*>(shared));
  const auto* tree = std::get<const json*>(shared);
  CHECK(*tree == std::get<json>(alone));
  return tree;
}

}  // namespace

TEST_CASE("statements differing in names share a tree and keep their own names and locations",
          "[statement-shapes]") {
  // Names of different lengths move every location after them.
  const std::vector<std::string> shapes_of = {
      R"(ALTER TABLE "public"."{0}" ADD COLUMN "{1}" text DEFAULT 'none' NOT NULL)",
      R"(ALTER TABLE "public"."{0}" ADD CONSTRAINT "{1}" CHECK ("{2}" > 0 AND "{2}" < 10) NOT VALID)",
      R"(CREATE INDEX CONCURRENTLY "{1}" ON "public"."{0}" ("{2}", lower("{1}")) WHERE "{2}" IS NOT NULL)",
      R"(CREATE TABLE "public"."{0}" ("id" bigint GENERATED ALWAYS AS IDENTITY, "{1}" varchar(20) DEFAULT 'a"b_1"c', "{2}" int4, PRIMARY KEY ("id")))",
      R"(ALTER TABLE "public"."{0}" RENAME COLUMN "{1}" TO "{2}")",
      R"(GRANT SELECT ON "public"."{0}" TO "{1}", "{2}")",
  };
  const std::vector<std::vector<std::string>> names = {
      {"orders_1", "note_2", "amount_3"},
      {"Customers", "x9", "a$b"},
      {"t_123456789_123456789", "Q", "col_with_a_rather_long_name_7"},
      {"o2", "n_3", "m4"},
  };
  for (const auto& shape : shapes_of) {
    INFO(shape);
    StatementShapes shapes;
    const json* last = nullptr;
    for (const auto& n : names)
      last = same_as_alone(shapes, fmt::format(fmt::runtime(shape), n[0], n[1], n[2]));
    // A statement of a shape never seen before is parsed whole, in a tree of its own.
    const auto* other = same_as_alone(shapes, R"(DROP TABLE "public"."other_1")");
    CHECK(last != other);
  }
}

TEST_CASE("names PostgreSQL reads as words, truncates or unescapes are never replaced",
          "[statement-shapes]") {
  StatementShapes shapes;
  for (const auto* role : {"Role_1", "Role_2", "Role_3", "public", "Role_4"})
    same_as_alone(shapes, fmt::format(R"(GRANT SELECT ON "public"."t_1" TO "{}")", role));
  for (const auto* name : {"d_1", "d_2", "d_3", "is_not_null", "owned_by", "d_4"})
    same_as_alone(shapes,
                  fmt::format(R"(CREATE TABLE "public"."t_1" ("{}" int4, "{}" text))", name, name));
  const std::string long_name(70, 'N');  // PostgreSQL keeps 63 bytes of it
  for (const auto* table : {"t_1", "t_2", "t_3", "t_4"})
    same_as_alone(
        shapes, fmt::format(R"(ALTER TABLE "public"."{}" ADD COLUMN "{}" int4)", table, long_name));
  for (const auto* table : {"t_1", "t_2", "t_3", "t_4"})
    same_as_alone(shapes,
                  fmt::format(R"(ALTER TABLE "public"."{}" ADD COLUMN U&"d\0061t_1" int4)", table));
}

TEST_CASE("strings that look like names or placeholders stay as written", "[statement-shapes]") {
  StatementShapes shapes;
  for (const auto* name : {"c_1", "c_2", "c_3", "c_4"}) {
    same_as_alone(shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN "{}" text )"
                                      R"(DEFAULT 'it''s "{}"')",
                                      name, name));
    same_as_alone(shapes, fmt::format("ALTER TABLE \"public\".\"t_1\" ADD COLUMN \"{}\" text "
                                      "DEFAULT '\x01"
                                      "00000000'",
                                      name));
    same_as_alone(shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN "{}" text )"
                                      R"(DEFAULT E'\'{}\'')",
                                      name, name));
    same_as_alone(shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN "{}" text )"
                                      R"(DEFAULT $q$"{}"$q$)",
                                      name, name));
  }
}

TEST_CASE("a shape that is not one statement fails the same way every time", "[statement-shapes]") {
  StatementShapes shapes;
  for (const auto* name : {"c_1", "c_2", "c_3", "c_4"}) {
    CHECK_FALSE(same_as_alone(shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN )"
                                                  R"("{}" text DEFAULT ()",
                                                  name)));
    CHECK_FALSE(same_as_alone(
        shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN "{}" text; SELECT 1)", name)));
    CHECK_FALSE(same_as_alone(
        shapes, fmt::format(R"(ALTER TABLE "public"."t_1" ADD COLUMN "{}" text -- note)", name)));
  }
}

TEST_CASE("a statement over mig's size limit is refused whatever its shape", "[statement-shapes]") {
  // Two statements just under the limit of 1 MiB share a shape; longer names take the third
  // over it, and it must be refused as when parsed alone.
  const auto statement = [](const std::string& table, std::size_t size) {
    const auto head =
        fmt::format(R"(ALTER TABLE "public"."{}" ADD COLUMN "c_1" text DEFAULT ')", table);
    return head + std::string(size - head.size() - 1, 'x') + "'";
  };
  const std::size_t just_under = 1024 * 1024 - 8;
  StatementShapes shapes;
  CHECK(same_as_alone(shapes, statement("t_1", just_under)));
  CHECK(same_as_alone(shapes, statement("t_2", just_under)));
  CHECK_FALSE(same_as_alone(shapes, statement(std::string(40, 'T'), just_under + 37)));
}
