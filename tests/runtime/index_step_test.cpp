#include "runtime/index_step.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "runtime/runner.hpp"
#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

TEST_CASE("the index a step builds or drops is read from its statement") {
  const auto quoted = parse_index_step(
      "CREATE UNIQUE INDEX CONCURRENTLY \"Users \"\"Email\" ON \"public\".\"users\" "
      "(lower(email))");
  REQUIRE(quoted);
  CHECK(quoted->action == IndexStep::Action::Build);
  CHECK(quoted->index_name == "Users \"Email");
  CHECK(quoted->relation == "\"public\".\"users\"");

  const auto bare = parse_index_step(
      "-- step 3\ncreate index concurrently if not exists Users_Idx on only Users using btree "
      "(id)");
  REQUIRE(bare);
  CHECK(bare->index_name == "users_idx");
  CHECK(bare->relation == "\"users\"");

  const auto drop = parse_index_step("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"Idx\"");
  REQUIRE(drop);
  CHECK(drop->action == IndexStep::Action::Drop);
  CHECK(drop->index_name == "Idx");
  CHECK(drop->relation == "\"public\".\"Idx\"");

  CHECK(parse_index_step("CREATE INDEX users_idx ON users (id)"));
  CHECK_FALSE(parse_index_step("CREATE INDEX CONCURRENTLY ON users (id)"));
  CHECK_FALSE(parse_index_step("DROP TABLE users"));
  CHECK_FALSE(parse_index_step("DROP INDEX CONCURRENTLY IF users_idx"));
}

TEST_CASE("a step whose index another backend still builds waits for that build") {
  const auto url = fresh_database();
  execute(url,
          "CREATE TABLE items (id bigint); INSERT INTO items SELECT generate_series(1, 3000); "
          "CREATE FUNCTION slow_key(k bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS "
          "$$ BEGIN PERFORM pg_sleep(0.001); RETURN k; END $$");
  const std::string build =
      "CREATE INDEX CONCURRENTLY \"items_slow_idx\" ON \"public\".\"items\" (slow_key(id))";
  std::string build_error;
  std::thread builder([&] {
    try {
      execute(url, build);
    } catch (const std::exception& e) {
      build_error = e.what();
    }
  });
  while (query_number(url,
                      "SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class c "
                      "ON c.oid = p.index_relid WHERE c.relname = 'items_slow_idx'") == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  pqxx::connection connection{url};
  std::ostringstream out;
  CHECK(prepare_index_step(connection, *parse_index_step(build), true, out) ==
        IndexStepStart::AlreadyDone);
  builder.join();
  CHECK(build_error.empty());
  CHECK_THAT(out.str(), Catch::Contains("waiting for the backend still working on index "
                                        "public.items_slow_idx: pid "));
  CHECK_THAT(out.str(), Catch::Contains("is already built and valid"));
  CHECK(query_value(url,
                    "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                    "'items_slow_idx'::regclass") == "t");

  std::ostringstream fresh;
  CHECK(prepare_index_step(connection, *parse_index_step(build), false, fresh) ==
        IndexStepStart::Run);
  CHECK(fresh.str().empty());
}

// The index mig's step would build is already there, on other columns: the step fails as
// PostgreSQL says, on every run, and is never recorded as done.
TEST_CASE("an index of the same name that the step did not build is never taken for its own") {
  const auto url = fresh_database();
  execute(url, "CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (b)");
  Plan plan;
  plan.migrations.push_back(migration(
      1, "index_t",
      {outside_transaction("create index t_idx",
                           "CREATE INDEX CONCURRENTLY \"t_idx\" ON \"public\".\"t\" (a)")},
      {}));
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  for (int run = 0; run < 2; ++run) {
    INFO("run " << run + 1);
    CHECK_THAT(error_of([&] { runner.up(plan); }), Catch::Contains("SQLSTATE 42P07"));
  }
  CHECK_THAT(out.str(), !Catch::Contains("already built"));
  CHECK(query_value(url, "SELECT pg_get_indexdef('t_idx'::regclass)") ==
        "CREATE INDEX t_idx ON public.t USING btree (b)");
  CHECK(query_value(url, "SELECT step_started FROM mig.history ORDER BY id DESC LIMIT 1") ==
        std::nullopt);
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
