#pragma once

// Shared by the runtime tests: one scratch PostgreSQL per test process, a fresh database
// per test case, and small helpers to build plans and read values back.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "runtime/runner.hpp"

namespace mig::test {

// Run options for tests: no waiting for the migration lock.
RunOptions quick_options();

// A new, empty database on the process's scratch server; returns its URL.
std::string fresh_database();

// Runs one statement (or several, separated by ';') in autocommit.
void execute(const std::string& url, const std::string& sql);
// The first column of the first row as text; nullopt for NULL or no row.
std::optional<std::string> query_value(const std::string& url, const std::string& sql);
long long query_number(const std::string& url, const std::string& sql);
bool table_exists(const std::string& url, const std::string& table);
// How many columns named `column` tables named `table` have (0 or 1 in one schema).
long long column_count(const std::string& url, const std::string& table, const std::string& column);

PlanStep in_transaction(int transaction, std::string description, std::string sql);
PlanStep outside_transaction(std::string description, std::string sql);
PlanStep backfill_step(BackfillSpec);
PlanMigration migration(int version, std::string name, std::vector<PlanStep> up,
                        std::vector<PlanStep> down);

// The message of the exception `action` throws; fails the test when it throws nothing.
std::string error_of(const std::function<void()>& action);

}  // namespace mig::test
