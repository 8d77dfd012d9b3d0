#include "runtime/runner.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/runtime/test_database.hpp"

namespace mig::test {
namespace {

Plan users_and_orders_plan() {
  Plan plan;
  plan.migrations.push_back(
      migration(1, "create_users",
                {in_transaction(1, "create table users",
                                "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)"),
                 in_transaction(1, "create index users_email_idx",
                                "CREATE INDEX users_email_idx ON users (email)")},
                {in_transaction(1, "drop table users", "DROP TABLE users")}));
  plan.migrations.push_back(
      migration(2, "create_orders",
                {in_transaction(1, "create table orders",
                                "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint)")},
                {in_transaction(1, "drop table orders", "DROP TABLE orders")}));
  plan.migrations.push_back(migration(
      3, "add_users_name",
      {in_transaction(1, "add column users.name", "ALTER TABLE users ADD COLUMN name text")},
      {in_transaction(1, "drop column users.name", "ALTER TABLE users DROP COLUMN name")}));
  return plan;
}

TEST_CASE("up applies every migration and records one done attempt per version") {
  const auto url = fresh_database();
  const auto plan = users_and_orders_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(plan);

  CHECK(table_exists(url, "users"));
  CHECK(table_exists(url, "orders"));
  CHECK(query_value(url, "SELECT to_regclass('users_email_idx') IS NOT NULL") == "t");
  CHECK(column_count(url, "users", "name") == 1);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 3);
  CHECK(query_number(url,
                     "SELECT count(*) FROM mig.history WHERE direction = 'up' AND status = 'done' "
                     "AND steps_done = steps_total AND finished_at IS NOT NULL "
                     "AND duration_ms >= 0 AND applied_by LIKE 'postgres@%'") == 3);
  CHECK(query_value(url, "SELECT checksum FROM mig.history WHERE version = 1") ==
        plan.migrations[0].source_checksum);
  CHECK(query_value(url, "SELECT steps_total FROM mig.history WHERE version = 1") == "2");
  CHECK(out.str().find("the database is at version 3") != std::string::npos);

  std::ostringstream again;
  Runner second(url, quick_options(), again);
  second.up(plan);
  CHECK(again.str().find("nothing to apply") != std::string::npos);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 3);
}

TEST_CASE("up --to stops at the given version and status tells applied from pending") {
  const auto url = fresh_database();
  const auto plan = users_and_orders_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(plan, 2);
  CHECK(table_exists(url, "orders"));
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 2);

  std::ostringstream status_out;
  Runner reader(url, quick_options(), status_out);
  const auto statuses = reader.status(plan).migrations;
  REQUIRE(statuses.size() == 3);
  CHECK(statuses[0].state == MigrationState::Applied);
  CHECK(statuses[1].state == MigrationState::Applied);
  CHECK(statuses[2].state == MigrationState::Pending);
  CHECK(status_out.str().find("0003_add_users_name") != std::string::npos);
  CHECK(status_out.str().find("3 migrations: 1 pending, 2 applied") != std::string::npos);

  CHECK_THAT(error_of([&] { runner.up(plan, 7); }),
             Catch::Contains("no migration with that version"));
}

TEST_CASE("a failing step rolls back its whole transaction and the error tells the story") {
  const auto url = fresh_database();
  Plan plan;
  plan.migrations.push_back(migration(
      1, "create_accounts",
      {in_transaction(1, "create table accounts", "CREATE TABLE accounts (id bigint)"),
       in_transaction(1, "fill the audit table", "INSERT INTO audit_log SELECT id FROM accounts")},
      {}));
  plan.migrations[0].up[1].source_line = 7;
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  const auto error = error_of([&] { runner.up(plan); });

  CHECK_THAT(error, Catch::Contains("0001_create_accounts: step 2 of 2 failed: fill the audit "
                                    "table\n  written at: 0001_create_accounts.mig:7\n"));
  CHECK_THAT(error, Catch::Contains("INSERT INTO audit_log SELECT id FROM accounts"));
  CHECK_THAT(error, Catch::Contains("relation \"audit_log\" does not exist"));
  CHECK_THAT(error, Catch::Contains("SQLSTATE 42P01"));
  CHECK_THAT(error, Catch::Contains("transaction 1 (steps 1-2) was rolled back"));
  CHECK_FALSE(table_exists(url, "accounts"));
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "failed");
  CHECK(query_value(url, "SELECT steps_done FROM mig.history ORDER BY id DESC LIMIT 1") == "0");
  CHECK_THAT(
      query_value(url, "SELECT error FROM mig.history ORDER BY id DESC LIMIT 1").value_or(""),
      Catch::Contains("audit_log"));

  std::ostringstream status_out;
  const auto statuses = Runner(url, quick_options(), status_out).status(plan).migrations;
  CHECK(statuses[0].state == MigrationState::Failed);
}

TEST_CASE("separate transactions commit one by one and a re-run resumes after the last") {
  const auto url = fresh_database();
  Plan plan;
  plan.migrations.push_back(migration(
      1, "split",
      {in_transaction(1, "create table first_table", "CREATE TABLE first_table (id int)"),
       in_transaction(2, "create table second_table", "CREATE TABLE second_table (id int)"),
       in_transaction(2, "copy from the source", "INSERT INTO second_table SELECT id FROM source")},
      {}));
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  CHECK_THAT(error_of([&] { runner.up(plan); }), Catch::Contains("step 3 of 3"));
  CHECK(table_exists(url, "first_table"));
  CHECK_FALSE(table_exists(url, "second_table"));
  CHECK(query_value(url, "SELECT steps_done FROM mig.history") == "1");

  execute(url, "CREATE TABLE source (id int); INSERT INTO source VALUES (7)");
  std::ostringstream status_out;
  CHECK(Runner(url, quick_options(), status_out).status(plan).migrations[0].state ==
        MigrationState::PartiallyApplied);
  runner.up(plan);
  CHECK(out.str().find("resuming applying 0001_split at step 2 of 3") != std::string::npos);
  CHECK(query_value(url, "SELECT id FROM second_table") == "7");
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "done");
}

TEST_CASE("non-transactional steps are recorded one by one and a re-run resumes after them") {
  const auto url = fresh_database();
  execute(url, "CREATE TABLE events (id bigint, kind text)");
  Plan plan;
  plan.migrations.push_back(migration(
      1, "index_events",
      {outside_transaction("create index events_id_idx",
                           "CREATE INDEX CONCURRENTLY events_id_idx ON events (id)"),
       outside_transaction("create index events_kind_idx",
                           "CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind_code)"),
       outside_transaction("create index events_both_idx",
                           "CREATE INDEX CONCURRENTLY events_both_idx ON events (id, kind)")},
      {}));
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  const auto error = error_of([&] { runner.up(plan); });
  CHECK_THAT(error, Catch::Contains("step 2 of 3 failed: create index events_kind_idx"));
  CHECK_THAT(error, Catch::Contains("column \"kind_code\" does not exist"));
  CHECK_THAT(error, Catch::Contains("outside a transaction"));
  CHECK(query_value(url, "SELECT steps_done FROM mig.history") == "1");

  execute(url, "ALTER TABLE events RENAME COLUMN kind TO kind_code");
  plan.migrations[0].up[2].sql = "CREATE INDEX CONCURRENTLY events_both_idx ON events (id)";
  // Step 1 is not run again: it would fail, the index already exists.
  runner.up(plan);
  CHECK(query_number(url,
                     "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                     "WHERE c.relname LIKE 'events_%_idx' AND i.indisvalid") == 3);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history WHERE version = 1") == 2);
  CHECK(query_value(url, "SELECT steps_done FROM mig.history ORDER BY id DESC LIMIT 1") == "3");
}

TEST_CASE("a changed applied migration is refused before anything runs") {
  const auto url = fresh_database();
  auto plan = users_and_orders_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(plan, 2);

  auto edited = plan;
  edited.migrations[0].source_checksum = "edited-checksum";
  const auto error = error_of([&] { runner.up(edited); });
  CHECK_THAT(error, Catch::Contains("0001_create_users was changed after it was applied"));
  CHECK_THAT(error, Catch::Contains(plan.migrations[0].source_checksum));
  CHECK_THAT(error, Catch::Contains("edited-checksum"));
  CHECK(column_count(url, "users", "name") == 0);
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 2);

  std::ostringstream verify_out;
  CHECK_FALSE(Runner(url, quick_options(), verify_out).verify(edited));
  CHECK_THAT(verify_out.str(), Catch::Contains("0001_create_users was changed"));
  std::ostringstream verify_ok;
  CHECK(Runner(url, quick_options(), verify_ok).verify(plan));
  CHECK_THAT(verify_ok.str(), Catch::Contains("ok: the 2 applied migrations match the plan"));

  auto truncated = plan;
  truncated.migrations.erase(truncated.migrations.begin());
  CHECK_THAT(
      error_of([&] { runner.up(truncated); }),
      Catch::Contains("0001_create_users is applied in the database but missing from the plan"));
}

TEST_CASE("a pending migration older than an applied one is refused") {
  const auto url = fresh_database();
  auto plan = users_and_orders_plan();
  auto without_second = plan;
  without_second.migrations.erase(without_second.migrations.begin() + 1);
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(without_second);
  const auto refusal = error_of([&] { runner.up(plan); });
  CHECK_THAT(refusal, Catch::Contains("0002_create_orders.mig is not applied but is numbered "
                                      "below 0003_add_users_name.mig, which is"));
  CHECK_THAT(refusal, Catch::Contains("`mig renumber --last 0002_create_orders.mig`"));
  CHECK_FALSE(table_exists(url, "orders"));
  CHECK_THAT(error_of([&] { runner.pending_sql(plan); }), Catch::Equals(refusal));

  std::ostringstream status_out;
  const auto report = Runner(url, quick_options(), status_out).status(plan);
  CHECK(readiness(report) == Readiness::NeedsAttention);
  CHECK_THAT(status_out.str(), Catch::Contains("error: " + refusal));
}

TEST_CASE("down through an irreversible migration is refused before anything runs") {
  const auto url = fresh_database();
  auto plan = users_and_orders_plan();
  plan.migrations[1].reversibility = Reversibility::Irreversible;
  plan.migrations[1].reversibility_notes = {"the orders table was filled from a legacy import"};
  plan.migrations[1].down.clear();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(plan);

  const auto error = error_of([&] { runner.down(plan, DownRange{std::nullopt, 0}); });
  CHECK_THAT(error, Catch::Contains("0002_create_orders is irreversible"));
  CHECK_THAT(error, Catch::Contains("the orders table was filled from a legacy import"));
  CHECK_THAT(error, Catch::Contains("nothing was changed"));
  CHECK(column_count(url, "users", "name") == 1);
  CHECK(table_exists(url, "orders"));
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 3);

  runner.down(plan, DownRange{1, std::nullopt});
  CHECK(column_count(url, "users", "name") == 0);
  CHECK_THAT(error_of([&] {
               runner.down(plan, DownRange{1, std::nullopt});
             }),
             Catch::Contains("0002_create_orders is irreversible"));
}

TEST_CASE("down and up again round-trip the schema and the history records both ways") {
  const auto url = fresh_database();
  const auto plan = users_and_orders_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  runner.up(plan);

  runner.down(plan, DownRange{2, std::nullopt});
  CHECK(table_exists(url, "users"));
  CHECK_FALSE(table_exists(url, "orders"));
  CHECK(out.str().find("the database is at version 1") != std::string::npos);

  runner.down(plan, DownRange{std::nullopt, 0});
  CHECK_FALSE(table_exists(url, "users"));
  CHECK(query_number(
            url, "SELECT count(*) FROM mig.history WHERE direction = 'down' AND status = 'done'") ==
        3);
  std::ostringstream status_out;
  for (const auto& s : Runner(url, quick_options(), status_out).status(plan).migrations)
    CHECK(s.state == MigrationState::Pending);

  runner.up(plan);
  CHECK(table_exists(url, "orders"));
  CHECK(query_number(url, "SELECT count(*) FROM mig.history") == 9);

  std::ostringstream history_out;
  Runner(url, quick_options(), history_out).history();
  CHECK_THAT(history_out.str(), Catch::Contains("0002_create_orders"));
  CHECK_THAT(history_out.str(), Catch::Contains("down"));
}

TEST_CASE("down refuses an unknown --to version and needs exactly one range") {
  const auto url = fresh_database();
  const auto plan = users_and_orders_plan();
  std::ostringstream out;
  Runner runner(url, quick_options(), out);
  CHECK_THAT(error_of([&] {
               runner.down(plan, DownRange{std::nullopt, 9});
             }),
             Catch::Contains("no migration with that version"));
  CHECK_THAT(error_of([&] { runner.down(plan, DownRange{}); }), Catch::Contains("exactly one"));
  runner.down(plan, DownRange{1, std::nullopt});
  CHECK_THAT(out.str(), Catch::Contains("nothing to revert"));
}

TEST_CASE("an attempt left running by a killed runner is closed and its migration resumed") {
  const auto url = fresh_database();
  Plan plan;
  plan.migrations.push_back(migration(
      1, "two_tables",
      {in_transaction(1, "create table left_table", "CREATE TABLE left_table (id int)"),
       in_transaction(2, "create table right_table", "CREATE TABLE right_table (id int)")},
      {}));
  std::ostringstream out;
  Runner runner(url, RunOptions{}, out);
  runner.up(plan);
  // What a runner killed after committing step 1 leaves behind.
  execute(url,
          "DROP TABLE right_table; DELETE FROM mig.history; "
          "INSERT INTO mig.history (version, name, direction, checksum, status, steps_done, "
          "steps_total, applied_by) VALUES (1, 'two_tables', 'up', "
          "'source-checksum-of-two_tables', 'running', 1, 2, 'killed@host')");

  std::ostringstream resumed;
  Runner(url, RunOptions{}, resumed).up(plan);
  CHECK_THAT(resumed.str(), Catch::Contains("1 earlier attempt did not finish"));
  CHECK_THAT(resumed.str(), Catch::Contains("resuming applying 0001_two_tables at step 2 of 2"));
  CHECK(table_exists(url, "right_table"));
  CHECK_THAT(query_value(url, "SELECT error FROM mig.history WHERE applied_by = 'killed@host'")
                 .value_or(""),
             Catch::Contains("interrupted"));
  CHECK(query_value(url, "SELECT status FROM mig.history ORDER BY id DESC LIMIT 1") == "done");
}

TEST_CASE("a role that may not create mig's schema is told what failed and what to grant") {
  const auto url = fresh_database();
  const auto database = *query_value(url, "SELECT current_database()");
  execute(url,
          "DROP ROLE IF EXISTS mig_no_create; CREATE ROLE mig_no_create LOGIN; "
          "REVOKE CREATE ON DATABASE \"" +
              database + "\" FROM PUBLIC");
  const auto as_role = url.substr(0, url.find("&user=")) + "&user=mig_no_create";
  std::ostringstream out;
  Runner runner(as_role, quick_options(), out);
  const auto message = error_of([&] { runner.up(users_and_orders_plan()); });
  CHECK_THAT(message, Catch::StartsWith("cannot create mig's history table (schema `mig`, "
                                        "table `mig.history`): permission denied"));
  CHECK_THAT(message, Catch::Contains("GRANT CREATE ON DATABASE"));
  CHECK_FALSE(table_exists(url, "users"));
}

}  // namespace
}  // namespace mig::test
