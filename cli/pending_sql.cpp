#include "cli/pending_sql.hpp"

#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/database_url.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"

namespace mig::cli {

std::shared_ptr<PendingSqlOptions> add_pending_sql_options(CLI::App& sql) {
  auto options = std::make_shared<PendingSqlOptions>();
  // Defaults are `mig up`'s (runtime/runner.hpp).
  options->lock_timeout_ms = RunOptions{}.lock_timeout.count();
  options->statement_timeout_ms = RunOptions{}.statement_timeout.count();
  auto* pending = sql.add_flag(
      "--pending", options->pending,
      "print the SQL `mig up` would run on the database now, as it runs it: pending migrations, "
      "the rest of one that stopped part way, transactions, lock_timeout, backfill batches");
  sql.add_option("--db", options->database_url,
                 "with --pending: database URL (default: $DATABASE_URL)")
      ->needs(pending);
  options->to = sql.add_option("--to", options->to_version,
                               "with --pending: as `mig up --to`, stop after this version")
                    ->needs(pending);
  sql.add_option("--lock-timeout", options->lock_timeout_ms,
                 "with --pending: as `mig up --lock-timeout`, in ms")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(pending);
  sql.add_option("--statement-timeout", options->statement_timeout_ms,
                 "with --pending: as `mig up --statement-timeout`, in ms")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(pending);
  return options;
}

int print_pending_sql(const Plan& plan, const PendingSqlOptions& options) {
  try {
    RunOptions run;
    run.lock_timeout = std::chrono::milliseconds(options.lock_timeout_ms);
    run.statement_timeout = std::chrono::milliseconds(options.statement_timeout_ms);
    std::optional<int> to;
    if (options.to->count() > 0) to = options.to_version;
    std::cout << Runner(database_url_or_environment(options.database_url), run, std::cerr)
                     .pending_sql(plan, to);
    return 0;
  } catch (const DatabaseUnreachable& e) {
    std::cerr << fmt::format("mig sql: error: {}\n", e.what());
    return 2;
  } catch (const RuntimeError& e) {
    std::cerr << fmt::format("mig sql: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("mig sql: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace mig::cli
