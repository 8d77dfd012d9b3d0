#pragma once

// `mig sql --pending`: the SQL `mig up` would run on a database now, as it would run it.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "plan/plan.hpp"

namespace mig::cli {

struct PendingSqlOptions {
  bool pending = false;
  std::string database_url;
  int to_version = 0;
  CLI::Option* to = nullptr;  // counted when --to was given
  long long lock_timeout_ms = 0;
  long long statement_timeout_ms = 0;
};

// Adds --pending and the options that change what `up` runs to the `sql` command.
std::shared_ptr<PendingSqlOptions> add_pending_sql_options(CLI::App& sql);

// Prints the pending SQL; returns the exit code (1: `up` would refuse, 2: no database).
int print_pending_sql(const Plan&, const PendingSqlOptions&);

}  // namespace mig::cli
