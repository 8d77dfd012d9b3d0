#include "runtime/invalid_index.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

TEST_CASE("the index a concurrent build creates is read from its statement") {
  const auto quoted = parse_concurrent_index_build(
      "CREATE UNIQUE INDEX CONCURRENTLY \"Users \"\"Email\" ON \"public\".\"users\" "
      "(lower(email))");
  REQUIRE(quoted);
  CHECK(quoted->index_name == "Users \"Email");
  CHECK(quoted->table == "\"public\".\"users\"");

  const auto bare = parse_concurrent_index_build(
      "-- step 3\ncreate index concurrently if not exists Users_Idx on only Users using btree "
      "(id)");
  REQUIRE(bare);
  CHECK(bare->index_name == "users_idx");
  CHECK(bare->table == "\"users\"");

  CHECK_FALSE(parse_concurrent_index_build("CREATE INDEX users_idx ON users (id)"));
  CHECK_FALSE(parse_concurrent_index_build("CREATE INDEX CONCURRENTLY ON users (id)"));
  CHECK_FALSE(parse_concurrent_index_build("DROP INDEX CONCURRENTLY users_idx"));
}

TEST_CASE("an INVALID index left by a failed concurrent build is dropped and rebuilt") {
  const auto url = fresh_database();
  execute(url,
          "CREATE TABLE members (id int, email text); "
          "INSERT INTO members VALUES (1, 'a@example.com'), (2, 'a@example.com')");
  Plan plan;
  plan.migrations.push_back(
      migration(1, "unique_member_email",
                {outside_transaction("create index members_email_key",
                                     "CREATE UNIQUE INDEX CONCURRENTLY \"members_email_key\" ON "
                                     "\"public\".\"members\" (email)")},
                {}));
  std::ostringstream out;
  Runner runner(url, RunOptions{}, out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("SQLSTATE 23505"));
  CHECK_THAT(error, Catch::Contains("INVALID index"));
  const auto valid_flag =
      "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
      "WHERE c.relname = 'members_email_key'";
  REQUIRE(query_value(url, valid_flag) == "f");

  execute(url, "DELETE FROM members WHERE id = 2");
  runner.up(plan);
  CHECK_THAT(out.str(),
             Catch::Contains("dropping INVALID index public.members_email_key left by an earlier"));
  CHECK(query_value(url, valid_flag) == "t");
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "done");
}

}  // namespace
}  // namespace mig::test
