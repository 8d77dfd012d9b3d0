#pragma once

// What PostgreSQL does to run a statement with these effects: the table locks it takes,
// whether it rewrites or scans a table, whether it may run inside a transaction block,
// and whether it changes data. The one place that knows PostgreSQL's lock per statement.

#include <vector>

#include "compiler/effects/effect.hpp"
#include "plan/plan.hpp"

namespace mig {

struct StepFacts {
  LockFacts lock;
  bool transactional = true;
  StepKind kind = StepKind::Ddl;
};

StepFacts step_facts(const std::vector<Effect>&);

// The table an effect is about, or nullptr (transaction control, statements that run alone).
const ObjectName* table_of(const Effect&);

}  // namespace mig
