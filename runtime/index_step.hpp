#pragma once

// CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY run outside a transaction, so a runner
// that stops in the middle of one leaves the database in one of several states: the server
// may still be running the statement (PostgreSQL does not notice the client went away), may
// have finished it (the index is built or gone, but the step was never recorded), or may have
// left an INVALID index behind. Before such a step runs, the runtime reads which, so that
// running the step again always reaches the state the step describes.

#include <iosfwd>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"

namespace mig {

struct IndexStep {
  enum class Action { Build, Drop } action = Action::Build;
  std::string index_name;  // as stored in pg_class.relname
  // Build: the table, quoted, as to_regclass() reads it. Drop: the index, the same way.
  std::string relation;
};

// What `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table ...` or
// `DROP INDEX [CONCURRENTLY] [IF EXISTS] [schema.]name` works on; nullopt for any other
// statement (or an index without a name).
std::optional<IndexStep> parse_index_step(std::string_view sql);

enum class IndexStepStart {
  Run,          // run the statement
  AlreadyDone,  // an interrupted run's statement finished on the server: record the step
};

// Waits while another backend still builds or drops the index (announcing it on `out`), drops
// an INVALID index left by a build that no backend is running any more, and says whether the
// step's statement must run. `started_before`: an interrupted attempt had begun this step, so
// an index that is there (build) or gone (drop) is its work.
IndexStepStart prepare_index_step(pqxx::connection&, const IndexStep&, bool started_before,
                                  std::ostream& out);

// For `mig resolve`: compares the indexes a migration's up steps build or drop with the
// catalog, `applied`: as the last step touching each leaves it; otherwise as it was before
// the first. Returns one sentence per disagreement; adds the numbers of the steps that say
// nothing the catalog can confirm to `unchecked`.
std::vector<std::string> check_index_steps(pqxx::connection&, const std::vector<PlanStep>& up,
                                           bool applied, std::vector<std::string>& unchecked);

}  // namespace mig
