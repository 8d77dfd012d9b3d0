#include "cli/runtime_commands.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/baseline.hpp"
#include "cli/database_url.hpp"
#include "cli/fleet_command.hpp"
#include "cli/plan_source.hpp"
#include "cli/whole_number.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/scratch_server.hpp"

namespace mig::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Options of every database command; each command registers the ones it uses.
struct CommandLine {
  PlanSource plan_source{"migrations", ""};
  std::string database_url;
  int to_version = 0;
  int steps = 0;
  // Defaults are RunOptions' (runtime/runner.hpp), chosen from bench/README.md.
  long long lock_timeout_ms = RunOptions{}.lock_timeout.count();
  int retries = RunOptions{}.lock_retries;
  long long retry_delay_ms = RunOptions{}.retry_base_delay.count();
  long long retry_max_delay_ms = RunOptions{}.retry_max_delay.count();
  long long statement_timeout_ms = RunOptions{}.statement_timeout.count();
  long long lock_wait_s = RunOptions{}.lock_wait.count();
  long long batch_pause_ms = RunOptions{}.batch_pause.count();
  long long conflict_wait_ms = RunOptions{}.conflict_wait.count();
  long long conflict_poll_ms = RunOptions{}.conflict_poll.count();
  long long max_replica_lag_bytes = 0;
  long long max_replica_lag_ms = 0;
  bool no_drift_check = false;       // up, down
  std::string backup_schema_dir;     // up
  std::string pg_dump;               // up
  std::vector<std::string> command;  // scratch
  std::string format = "text";       // status, history
  int version = 0;                   // resolve
  bool applied = false;              // resolve
  bool rolled_back = false;          // resolve
};

void add_format_option(CLI::App& command, CommandLine& line) {
  command.add_option("--format", line.format, "text for people, json for pipelines")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

ReportFormat report_format(const CommandLine& line) {
  return line.format == "json" ? ReportFormat::Json : ReportFormat::Text;
}

// Not CLI11's envname: the subcommands share one CommandLine, and CLI11 would fill the
// URL from the environment for every subcommand, overwriting the --db given to this one.
void add_database_option(CLI::App& command, CommandLine& line) {
  command.add_option("--db", line.database_url, "database URL (default: $DATABASE_URL)");
}

void add_plan_options(CLI::App& command, CommandLine& line) {
  command
      .add_option("dir", line.plan_source.migrations_dir,
                  "migrations directory, compiled in memory")
      ->capture_default_str();
  command.add_option("--plan", line.plan_source.plan_dir,
                     "compiled plan directory (from `mig compile`); used instead of DIR");
}

void add_run_options(CLI::App& command, CommandLine& line) {
  const auto non_negative = [&](const char* name, auto& value, const char* help) {
    command.add_option(name, value, help)->capture_default_str()->check(at_least(0));
  };
  non_negative("--lock-timeout", line.lock_timeout_ms,
               "longest wait for a lock that blocks reads or writes while awaited, in ms (steps "
               "whose locks block no traffic wait as long as needed)");
  non_negative("--retries", line.retries, "retries of a step that timed out on a lock");
  non_negative("--retry-delay", line.retry_delay_ms,
               "wait before the first retry, in ms; doubled for each next one, with jitter");
  non_negative("--retry-max-delay", line.retry_max_delay_ms, "longest wait between retries, in ms");
  non_negative("--statement-timeout", line.statement_timeout_ms,
               "longest run of one statement, in ms (0: no limit)");
  non_negative("--lock-wait", line.lock_wait_s,
               "how long to wait for another runner to finish, in s (0: try once)");
  non_negative("--batch-pause", line.batch_pause_ms, "pause between backfill batches, in ms");
  non_negative("--conflict-wait", line.conflict_wait_ms,
               "before a lock that blocks traffic, how long to wait outside the lock queue for "
               "sessions holding a conflicting lock, in ms (then the lock is asked for anyway)");
  non_negative("--conflict-poll", line.conflict_poll_ms,
               "how often to look for those sessions while waiting, in ms");
  non_negative("--max-replica-lag-bytes", line.max_replica_lag_bytes,
               "before each backfill batch and concurrent index build, wait while a streaming "
               "replica has more than this many bytes of WAL left to replay (0: no bound)");
  non_negative("--max-replica-lag", line.max_replica_lag_ms,
               "the same for a replica's replay_lag, in ms (0: no bound)");
  command.add_flag("--no-drift-check", line.no_drift_check,
                   "run even when an object the migrations touch differs from what the applied "
                   "migrations made it (see `mig drift`)");
}

RunOptions run_options(const CommandLine& line) {
  RunOptions options;
  options.lock_timeout = std::chrono::milliseconds(line.lock_timeout_ms);
  options.lock_retries = line.retries;
  options.retry_base_delay = std::chrono::milliseconds(line.retry_delay_ms);
  options.retry_max_delay = std::chrono::milliseconds(line.retry_max_delay_ms);
  options.statement_timeout = std::chrono::milliseconds(line.statement_timeout_ms);
  options.lock_wait = std::chrono::seconds(line.lock_wait_s);
  options.batch_pause = std::chrono::milliseconds(line.batch_pause_ms);
  options.conflict_wait = std::chrono::milliseconds(line.conflict_wait_ms);
  options.conflict_poll = std::chrono::milliseconds(std::max(1LL, line.conflict_poll_ms));
  options.replica_lag = {line.max_replica_lag_bytes,
                         std::chrono::milliseconds(line.max_replica_lag_ms)};
  options.progress_bar = isatty(STDOUT_FILENO);
  if (!line.backup_schema_dir.empty()) options.backup_schema_dir = line.backup_schema_dir;
  options.pg_dump = line.pg_dump;
  options.check_drift = !line.no_drift_check;
  return options;
}

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string database_url(const CommandLine& line) {
  return database_url_or_environment(line.database_url);
}

Plan plan(const CommandLine& line) {
  PlanProblem problem{};
  auto loaded = load_plan(line.plan_source, std::cerr, problem);
  if (loaded) return std::move(*loaded);
  if (problem == PlanProblem::Unreadable) throw UsageError("cannot load the plan");
  throw RuntimeError("the plan is refused; nothing was run");
}

// Runs a command body and turns its failures into a message on stderr and an exit code.
// The body returns the exit code of a command that ran: 0, or e.g. 1 for a failed verification.
std::function<void()> reporting(int& exit_code, std::string name, std::function<int()> body) {
  return [&exit_code, name = std::move(name), body = std::move(body)] {
    std::cout << std::unitbuf;  // a deploy log keeps every line of a runner that is killed
    try {
      exit_code = body();
    } catch (const UsageError& e) {
      std::cerr << fmt::format("mig {}: error: {}\n", name, e.what());
      exit_code = kExitUsage;
    } catch (const DatabaseUnreachable& e) {
      std::cerr << fmt::format("mig {}: error: {}\n", name, e.what());
      exit_code = kExitUsage;
    } catch (const RuntimeError& e) {
      std::cerr << fmt::format("mig {}: error: {}\n", name, e.what());
      exit_code = kExitFailed;
    } catch (const std::exception& e) {
      std::cerr << fmt::format("mig {}: error: {}\n", name, e.what());
      exit_code = kExitUsage;
    }
  };
}

// Runs `command` with DATABASE_URL set, its output going where ours goes; returns its
// exit status (128 + signal number when killed).
int run_with_database(const std::vector<std::string>& command, const std::string& url) {
  std::vector<char*> argv;
  for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = fork();
  if (pid < 0) throw RuntimeError(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    setenv("DATABASE_URL", url.c_str(), 1);
    execvp(argv[0], argv.data());
    std::cerr << fmt::format("mig scratch: cannot run `{}`: {}\n", command[0],
                             std::strerror(errno));
    _exit(127);
  }
  // Ctrl-C reaches the command; mig stays alive to stop the server afterwards.
  struct sigaction ignore {
  }, previous_int{}, previous_term{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ignore, &previous_int);
  sigaction(SIGTERM, &ignore, &previous_term);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// --format json reports a fleet; one database's `up` and `verify` write text.
void refuse_json_without_fleet(const CommandLine& line) {
  if (line.format == "json")
    throw UsageError("--format json reports a fleet: give --targets FILE or --targets-query SQL");
}

}  // namespace

void add_runtime_commands(CLI::App& app, int& exit_code) {
  auto line = std::make_shared<CommandLine>();
  auto fleet = std::make_shared<FleetCommandLine>();

  auto* up = app.add_subcommand("up", "apply pending migrations");
  add_plan_options(*up, *line);
  auto* up_to = up->add_option("--to", line->to_version, "stop after this version");
  add_database_option(*up, *line);
  add_run_options(*up, *line);
  up->add_option("--backup-schema", line->backup_schema_dir,
                 "before applying anything, write pg_dump --schema-only to "
                 "DIR/<timestamp>_before_<version>.sql; a failed dump stops the run");
  up->add_option("--pg-dump", line->pg_dump,
                 "pg_dump program for --backup-schema (default: PostgreSQL 15's, else PATH)");
  add_format_option(*up, *line);
  add_fleet_options(*up, *fleet, FleetCommand::Up);
  up->footer("Example: mig up --plan build/plan --db postgresql://app@db/auth");
  up->callback(reporting(exit_code, "up", [line, fleet, up_to, up] {
    std::optional<int> to;
    if (up_to->count() > 0) to = line->to_version;
    read_fleet_config(*fleet, *up);
    if (fleet->given())
      return run_fleet_command(FleetCommand::Up, *fleet, line->database_url, plan(*line),
                               run_options(*line), to, report_format(*line));
    refuse_json_without_fleet(*line);
    const auto url = database_url(*line);
    const auto loaded = plan(*line);
    Runner(url, run_options(*line), std::cout).up(loaded, to);
    return 0;
  }));

  auto* down = app.add_subcommand("down", "revert applied migrations, latest first");
  add_plan_options(*down, *line);
  auto* steps = down->add_option("--steps", line->steps,
                                 "revert this many migrations, counted from the newest applied "
                                 "when the command runs: from more than one place (deploy "
                                 "boxes, retries) use --to V, which is the same wherever it runs")
                    ->check(at_least(1));
  auto* to = down->add_option("--to", line->to_version,
                              "revert down to this version (it stays applied; 0: everything)")
                 ->check(at_least(0));
  steps->excludes(to);
  add_database_option(*down, *line);
  add_run_options(*down, *line);
  down->footer("Example: mig down --plan build/plan --to 6");
  down->callback(reporting(exit_code, "down", [line, steps, to] {
    DownRange range;
    if (steps->count() > 0) range.steps = line->steps;
    if (to->count() > 0) range.to_version = line->to_version;
    if (!range.steps && !range.to_version)
      throw UsageError("say how far to go: --steps N or --to V (--to 0 reverts everything)");
    const auto url = database_url(*line);
    const auto loaded = plan(*line);
    Runner(url, run_options(*line), std::cout).down(loaded, range);
    return 0;
  }));

  auto* resolve = app.add_subcommand(
      "resolve",
      "after repairing by hand a migration that stopped part way, record it as applied or "
      "rolled back");
  resolve->add_option("version", line->version, "the migration's version")->required();
  resolve->add_flag("--applied", line->applied, "every change of the migration is in the database")
      ->excludes(resolve->add_flag("--rolled-back", line->rolled_back,
                                   "none of its changes is in the database (pending)"));
  add_plan_options(*resolve, *line);
  add_database_option(*resolve, *line);
  resolve->footer("Example: mig resolve 7 --applied --plan build/plan");
  resolve->callback(reporting(exit_code, "resolve", [line] {
    if (line->applied == line->rolled_back)
      throw UsageError("say what the migration is now: --applied or --rolled-back");
    const auto url = database_url(*line);
    const auto loaded = plan(*line);
    Runner(url, RunOptions{}, std::cout)
        .resolve(loaded, line->version,
                 line->applied ? Resolution::Applied : Resolution::RolledBack);
    return 0;
  }));

  auto* status = app.add_subcommand(
      "status",
      "show which migrations are applied; exits 0 at head, 3 with migrations pending, 1 when a "
      "migration changed, is missing, stopped part way or failed, 2 when it cannot tell");
  add_plan_options(*status, *line);
  add_database_option(*status, *line);
  add_format_option(*status, *line);
  add_fleet_options(*status, *fleet, FleetCommand::Status);
  status->footer("Example: mig status --plan build/plan --format json");
  status->callback(reporting(exit_code, "status", [line, fleet, status] {
    read_fleet_config(*fleet, *status);
    if (fleet->given())
      return run_fleet_command(FleetCommand::Status, *fleet, line->database_url, plan(*line),
                               RunOptions{}, std::nullopt, report_format(*line));
    try {
      const auto url = database_url(*line);
      const auto loaded = plan(*line);
      return static_cast<int>(
          readiness(Runner(url, RunOptions{}, std::cout).status(loaded, report_format(*line))));
    } catch (const RuntimeError& e) {
      throw UsageError(e.what());  // 1 means "needs attention": a status that failed cannot tell
    }
  }));

  auto* history = app.add_subcommand("history", "list every attempt recorded in mig.history");
  add_database_option(*history, *line);
  add_format_option(*history, *line);
  history->footer("Example: DATABASE_URL=postgresql://app@db/auth mig history");
  history->callback(reporting(exit_code, "history", [line] {
    Runner(database_url(*line), RunOptions{}, std::cout).history(report_format(*line));
    return 0;
  }));

  auto* verify = app.add_subcommand(
      "verify", "check that the applied migrations are unchanged and present in the plan");
  add_plan_options(*verify, *line);
  add_database_option(*verify, *line);
  add_format_option(*verify, *line);
  add_fleet_options(*verify, *fleet, FleetCommand::Verify);
  verify->footer("Example: mig verify --plan build/plan");
  verify->callback(reporting(exit_code, "verify", [line, fleet, verify] {
    read_fleet_config(*fleet, *verify);
    if (fleet->given())
      return run_fleet_command(FleetCommand::Verify, *fleet, line->database_url, plan(*line),
                               RunOptions{}, std::nullopt, report_format(*line));
    refuse_json_without_fleet(*line);
    const auto url = database_url(*line);
    const auto loaded = plan(*line);
    return Runner(url, RunOptions{}, std::cout).verify(loaded) ? 0 : kExitFailed;
  }));

  auto* drift = app.add_subcommand(
      "drift",
      "compare the database's schema with what its applied migrations made it; exits 0 when they "
      "match, 1 when they differ, 2 when it cannot tell");
  add_plan_options(*drift, *line);
  add_database_option(*drift, *line);
  add_format_option(*drift, *line);
  add_fleet_options(*drift, *fleet, FleetCommand::Drift);
  drift->footer("Example: mig drift --plan build/plan --format json");
  drift->callback(reporting(exit_code, "drift", [line, fleet, drift] {
    read_fleet_config(*fleet, *drift);
    if (fleet->given())
      return run_fleet_command(FleetCommand::Drift, *fleet, line->database_url, plan(*line),
                               RunOptions{}, std::nullopt, report_format(*line));
    try {
      const auto url = database_url(*line);
      const auto loaded = plan(*line);
      const auto report = Runner(url, RunOptions{}, std::cout).drift(loaded, report_format(*line));
      return report.differences.empty() ? 0 : kExitFailed;
    } catch (const RuntimeError& e) {
      throw UsageError(e.what());  // 1 means "differs": a comparison that failed cannot tell
    }
  }));

  auto* baseline = app.add_subcommand(
      "baseline",
      "adopt an existing database: write its schema as the first migration of an empty DIR and "
      "record it as applied there; prints what the language cannot express");
  auto request = std::make_shared<BaselineRequest>(BaselineRequest{"", "migrations", "baseline"});
  baseline->add_option("dir", request->migrations_dir, "migrations directory to write (empty)")
      ->capture_default_str();
  baseline->add_option("--name", request->name, "name of the migration: 0001_NAME.mig")
      ->capture_default_str();
  add_database_option(*baseline, *line);
  baseline->footer("Example: mig baseline migrations --db postgresql://app@db/auth");
  baseline->callback(reporting(exit_code, "baseline", [line, request] {
    request->database_url = database_url(*line);
    write_baseline(*request, std::cout, std::cerr);
    return 0;
  }));

  auto* scratch = app.add_subcommand(
      "scratch", "run a command against a throwaway PostgreSQL: mig scratch -- CMD [ARGS...]");
  scratch->add_option("command", line->command, "the command and its arguments, after --");
  scratch->footer("Example: mig scratch -- sh -c 'mig up migrations && mig status'");
  scratch->callback([&exit_code, line] {
    if (line->command.empty()) {
      std::cerr << "mig scratch: error: give a command to run: mig scratch -- CMD [ARGS...]\n";
      exit_code = kExitUsage;
      return;
    }
    try {
      ScratchServer server;
      std::cerr << fmt::format("mig scratch: PostgreSQL running at {}\n", server.url());
      exit_code = run_with_database(line->command, server.url());
    } catch (const RuntimeError& e) {
      std::cerr << fmt::format("mig scratch: error: {}\n", e.what());
      exit_code = kExitUsage;
    }
  });
}

}  // namespace mig::cli
