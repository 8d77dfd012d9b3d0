#pragma once

// What a raw SQL statement does, read from its parse tree: whether PostgreSQL lets it run
// inside a transaction, whether it changes data or schema, and the table locks it takes.

#include <nlohmann/json.hpp>

#include "plan/plan.hpp"

namespace mig {

struct StatementFacts {
  bool transactional = true;
  StepKind kind = StepKind::Ddl;
  LockFacts lock;
};

StatementFacts statement_facts(const nlohmann::json& statement);

// "public.users" for a RangeVar node.
std::string range_var_name(const nlohmann::json& range_var);

}  // namespace mig
