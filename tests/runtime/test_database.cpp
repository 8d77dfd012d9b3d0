#include "tests/runtime/test_database.hpp"

#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "runtime/scratch_server.hpp"

namespace mig::test {

namespace {

ScratchServer& scratch_server() {
  static ScratchServer server;
  return server;
}

}  // namespace

RunOptions quick_options() {
  RunOptions options;
  options.lock_wait = std::chrono::seconds(0);
  return options;
}

std::string fresh_database() {
  static std::atomic<int> count{0};
  return scratch_server().create_database(fmt::format("runtime_test_{}", ++count));
}

void execute(const std::string& url, const std::string& sql) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  session.exec(sql);
}

std::optional<std::string> query_value(const std::string& url, const std::string& sql) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  const auto rows = session.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

long long query_number(const std::string& url, const std::string& sql) {
  return std::stoll(query_value(url, sql).value_or("-1"));
}

bool table_exists(const std::string& url, const std::string& table) {
  return query_value(url, fmt::format("SELECT to_regclass('{}') IS NOT NULL", table)) == "t";
}

long long column_count(const std::string& url, const std::string& table,
                       const std::string& column) {
  return query_number(url, fmt::format("SELECT count(*) FROM information_schema.columns "
                                       "WHERE table_name = '{}' AND column_name = '{}'",
                                       table, column));
}

PlanStep in_transaction(int transaction, std::string description, std::string sql) {
  PlanStep step;
  step.description = std::move(description);
  step.sql = std::move(sql);
  step.transaction = transaction;
  return step;
}

PlanStep outside_transaction(std::string description, std::string sql) {
  PlanStep step;
  step.description = std::move(description);
  step.sql = std::move(sql);
  return step;
}

PlanStep backfill_step(BackfillSpec spec) {
  PlanStep step;
  step.description = "backfill " + spec.table;
  step.sql = "-- runs in keyset batches";
  step.transaction = 1;
  step.kind = StepKind::Backfill;
  step.backfill = std::move(spec);
  return step;
}

PlanMigration migration(int version, std::string name, std::vector<PlanStep> up,
                        std::vector<PlanStep> down) {
  PlanMigration m;
  m.version = version;
  m.name = std::move(name);
  m.source_checksum = fmt::format("source-checksum-of-{}", m.name);
  m.up = std::move(up);
  m.down = std::move(down);
  m.plan_checksum = compute_plan_checksum(m);
  return m;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  FAIL("expected an exception, but nothing was thrown");
  return {};
}

}  // namespace mig::test
