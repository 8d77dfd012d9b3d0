#pragma once

// What one SQL statement does, read from PostgreSQL's parse tree of it. Every statement
// goes through here: the SQL generated for a `.mig` operation, a statement of a
// `sql { }` block, a statement of a plain `.sql` file.

#include <nlohmann/json.hpp>
#include <vector>

#include "compiler/effects/effect.hpp"
#include "plan/plan.hpp"

namespace mig {

// `before` is the schema the statement runs against, as far as it is known (empty for a
// plain `.sql` file): it tells old column types, which constraint is a foreign key, which
// table an index is on, whether a check already proves a column not null.
std::vector<Effect> sql_effects(const nlohmann::json& statement, const SchemaModel& before);

// "sql: " and the statement's first line, shortened: how a step of raw SQL is described.
std::string sql_step_description(const std::string& sql);

// Sets a step's lock facts, kind and whether it runs in a transaction from its effects (a
// batched step's row changes are marked batched first).
void set_step_facts(PlanStep&, std::vector<Effect>& effects);

// Reads a planned step's statement, its SQL as parsed, into effects and sets the step's
// facts from them.
std::vector<Effect> describe_step(PlanStep&, const nlohmann::json& statement,
                                  const SchemaModel& before);

}  // namespace mig
