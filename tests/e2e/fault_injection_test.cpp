// Fault injection for `mig up`. A mixed migration set (transactional steps, migrations run
// as one transaction with their history record, concurrent index builds and a concurrent
// drop, constraints added `not valid` and validated later, two backfills) is applied by a
// runner that is killed with SIGKILL, or whose connections are terminated, at a random
// moment: after a random delay, while a concurrent index build runs on the server, while a
// backfill batch runs, or while a migration run as one transaction runs. Some trials fault the
// rerun too. A last run must then finish within a bounded time and leave the database exactly where
// an uninterrupted run leaves it: every migration's latest attempt done, no INVALID index, every
// backfilled row changed exactly once, the catalog equal to the reference run's.
//
// Each trial's faults come from its seed. MIG_FAULT_TRIALS=N runs N trials instead of the
// suite's few (bench/fault_injection/run.sh); MIG_FAULT_FIRST_SEED=S starts at seed S, so
// MIG_FAULT_FIRST_SEED=17 MIG_FAULT_TRIALS=1 replays the plan of trial 17.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"

namespace fs = std::filesystem;
using mig::test::MigProcess;
using std::chrono::milliseconds;

namespace {

constexpr int kSuiteTrials = 12;
constexpr long long kItems = 40000;  // 80 batches of 500 per backfill
constexpr milliseconds kRunLimit{120000};
const std::string kBatchPause = "2";  // ms between backfill batches: a wider window for faults

// The migrations, version 1 first. The seed data is inserted after version 1.
const std::vector<std::pair<std::string, std::string>> kMigrations = {
    {"0001_create_tables.mig", R"(create table accounts {
  id bigint primary key
}
create table items {
  id         bigint primary key
  account_id bigint not null
  label      text not null
  n          int not null default 0
  m          int not null default 0
}
)"},
    // One transaction with its record; the pause widens the window for faults inside it.
    {"0002_add_item_events.mig", R"(alter table items add column note text
create table item_events {
  id      bigint primary key generated always as identity
  item_id bigint not null
}
sql {
  select pg_sleep(0.2)
}
)"},
    {"0003_index_items.mig", R"(create index concurrently items_label_idx on items (label)
create index concurrently items_account_id_idx on items (account_id)
)"},
    {"0004_backfill_items_n.mig", "backfill items set n = n + 1 batch 500\n"},
    {"0005_constrain_items.mig",
     R"(alter table items add check items_m_nonnegative (m >= 0) not valid
alter table items add foreign key items_account_id_fkey (account_id) references accounts (id) not valid
)"},
    {"0006_index_items_n.mig", R"(create index concurrently items_n_label_idx on items (n, label)
alter table item_events add column note text
)"},
    {"0007_backfill_items_m.mig", "backfill items set m = m + 1 batch 500\n"},
    {"0008_validate_items_constraints.mig",
     R"(alter table items validate constraint items_m_nonnegative
alter table items validate constraint items_account_id_fkey
)"},
    {"0009_replace_items_label_idx.mig",
     R"(create index concurrently items_lower_label_idx on items (lower(label))
drop index concurrently items_label_idx
)"},
};

const std::string kSeedData = fmt::format(
    "INSERT INTO accounts SELECT generate_series(1, 100);"
    "INSERT INTO items (id, account_id, label)"
    "  SELECT i, i % 100 + 1, md5(i::text) || md5((-i)::text) FROM generate_series(1, {}) AS i;"
    "ANALYZE",
    kItems);

// ---- the database, seen from the test -----------------------------------------------

pqxx::row query_row(const std::string& url, const std::string& query) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  return session.exec1(query);
}

void execute(const std::string& url, const std::string& statements) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  session.exec(statements);
}

// Indexes, constraints and columns of the public schema, one line each, sorted.
std::set<std::string> catalog(const std::string& url) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  std::set<std::string> lines;
  for (const auto& row : session.exec(R"sql(
    SELECT format('index %s (%s): %s', c.relname,
                  CASE WHEN i.indisvalid THEN 'valid' ELSE 'INVALID' END, pg_get_indexdef(c.oid))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('constraint %s (%s): %s', conname,
                  CASE WHEN convalidated THEN 'validated' ELSE 'NOT VALID' END,
                  pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('column %s.%s %s', table_name, column_name, data_type)
    FROM information_schema.columns WHERE table_schema = 'public')sql"))
    lines.insert(row[0].as<std::string>());
  return lines;
}

// ---- faults ----------------------------------------------------------------------------

enum class Action { Kill, TerminateBackends };
enum class Moment { AfterDelay, DuringIndexBuild, DuringBackfillBatch, DuringOneTransaction };

struct Fault {
  Action action;
  Moment moment;
  milliseconds delay;  // after the runner starts; for a moment, when to start watching for it
};

// What kind of fault, without its delay: "SIGKILL the runner during an index build".
std::string kind(const Fault& fault) {
  const auto action =
      fault.action == Action::Kill ? "SIGKILL the runner" : "terminate the runner's backends";
  switch (fault.moment) {
    case Moment::AfterDelay:
      return fmt::format("{} after a delay", action);
    case Moment::DuringIndexBuild:
      return fmt::format("{} during an index build", action);
    case Moment::DuringBackfillBatch:
      return fmt::format("{} during a backfill batch", action);
    case Moment::DuringOneTransaction:
      return fmt::format("{} during a migration run as one transaction", action);
  }
  return action;
}

std::string describe(const Fault& fault) {
  return fmt::format("{} ({}{} ms)", kind(fault),
                     fault.moment == Moment::AfterDelay ? "" : "watching from ",
                     fault.delay.count());
}

struct TrialPlan {
  Fault first;
  std::optional<Fault> rerun;  // a fault in the run after the first one too
};

// `run_length`: how long an uninterrupted run takes, so delays spread over the whole run.
TrialPlan plan_trial(std::uint64_t seed, milliseconds run_length) {
  std::mt19937_64 random(seed);
  auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  auto any_fault = [&](bool may_terminate) {
    Fault fault;
    fault.action = may_terminate && chance(25) ? Action::TerminateBackends : Action::Kill;
    const int moment = std::uniform_int_distribution<int>(0, 4)(random);
    fault.moment = moment < 2    ? Moment::AfterDelay
                   : moment == 2 ? Moment::DuringIndexBuild
                   : moment == 3 ? Moment::DuringBackfillBatch
                                 : Moment::DuringOneTransaction;
    // A moment is watched for from a delay in the first 3/4 of the run, so that one still
    // comes after it; the one-transaction migration comes first, so it is watched from the
    // start.
    const auto span = fault.moment == Moment::AfterDelay             ? run_length
                      : fault.moment == Moment::DuringOneTransaction ? milliseconds(0)
                                                                     : run_length * 3 / 4;
    fault.delay = milliseconds(std::uniform_int_distribution<long long>(0, span.count())(random));
    return fault;
  };
  TrialPlan plan{any_fault(true), std::nullopt};
  if (chance(30)) plan.rerun = any_fault(false);
  return plan;
}

// What the watcher polls for; each query returns a short description of the moment, or
// no row.
std::string moment_query(Moment moment) {
  switch (moment) {
    case Moment::AfterDelay:
      return "SELECT 'after the delay'";
    case Moment::DuringIndexBuild:
      return R"sql(
        SELECT format('while %s of %s was in phase `%s`', p.command,
                      coalesce(c.relname, substring(a.query from 'CONCURRENTLY "([^"]+)"')),
                      p.phase)
        FROM pg_stat_progress_create_index p
        JOIN pg_stat_activity a USING (pid)
        LEFT JOIN pg_class c ON c.oid = p.index_relid
        WHERE p.datname = current_database())sql";
    case Moment::DuringBackfillBatch:
      return R"sql(
        SELECT format('while a batch of the backfill `%s` was running',
                      substring(query from 'UPDATE "public"."items" SET (.*?) WHERE'))
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'mig' AND state = 'active'
          AND query ~ 'UPDATE "public"."items" SET')sql";
    case Moment::DuringOneTransaction:
      return R"sql(
        SELECT 'while 0002_add_item_events ran as one transaction'
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'mig' AND state = 'active'
          AND query ~ 'pg_sleep')sql";
  }
  return {};
}

// Waits for the fault's moment and injects it; says what it did. The runner may finish
// before the moment comes: then nothing is injected.
std::string inject(const Fault& fault, MigProcess& runner, const std::string& url) {
  pqxx::connection watcher{url};
  pqxx::nontransaction session{watcher};
  const auto query = moment_query(fault.moment);
  std::string moment;
  while (runner.running()) {
    if (runner.age() >= fault.delay) {
      const auto rows = session.exec(query);
      if (!rows.empty()) {
        moment = rows[0][0].as<std::string>();
        break;
      }
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  const auto at = runner.age().count();
  if (!runner.running())
    return fmt::format("nothing injected: the runner {} after {} ms", runner.outcome(), at);
  if (fault.action == Action::Kill) {
    runner.kill();
    return fmt::format("SIGKILL at {} ms, {}", at, moment);
  }
  const auto terminated =
      session
          .exec1(
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
              "WHERE datname = current_database() AND application_name = 'mig'")[0]
          .as<int>();
  return fmt::format("terminated {} backends of the runner at {} ms, {}", terminated, at, moment);
}

std::string last_line(std::string output) {
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output.substr(output.rfind('\n') + 1);  // npos + 1 is 0: the only line
}

// The database's error, which mig prints last: `error: relation "x" already exists ...`.
std::string last_error_line(const std::string& output) {
  std::istringstream lines(output);
  std::string line, found;
  while (std::getline(lines, line))
    if (line.find("error:") != std::string::npos) found = line;
  if (found.empty()) return last_line(output);
  return found.substr(found.find_first_not_of(' '));
}

// ---- one trial -----------------------------------------------------------------------

struct Trial {
  Trial(int number, std::uint64_t seed, TrialPlan plan, fs::path dir, fs::path logs,
        std::string url)
      : number(number),
        seed(seed),
        plan(std::move(plan)),
        dir(std::move(dir)),
        logs(std::move(logs)),
        url(std::move(url)) {}

  int number;
  std::uint64_t seed;
  TrialPlan plan;
  fs::path dir;  // migrations
  fs::path logs;
  std::string url;

  std::vector<std::string> runs;  // what each run did, with its output
  std::vector<std::string> problems;
  long long rows_changed_twice = 0;
  bool reached_head = false;
  std::string last_error;  // the final run's error when it failed

  MigProcess start_run() const {
    // Kills are planned over the steps' run; the drift check before them is drift_test's.
    return MigProcess(
        {"up", dir.string(), "--db", url, "--batch-pause", kBatchPause, "--no-drift-check"},
        logs / fmt::format("trial{}-run{}.log", number, runs.size() + 1));
  }

  // The run ends by the fault or by itself; it may not hang.
  void faulted_run(const Fault& fault) {
    auto runner = start_run();
    const auto injected = inject(fault, runner, url);
    if (!runner.wait(kRunLimit))
      problems.push_back(fmt::format("run {} did not exit within {} s after the fault",
                                     runs.size() + 1, kRunLimit.count() / 1000));
    record(runner, describe(fault) + ": " + injected);
  }

  void final_run() {
    auto runner = start_run();
    const bool exited = runner.wait(kRunLimit);
    record(runner, "no fault");
    if (!exited)
      problems.push_back(
          fmt::format("the last run did not finish within {} s", kRunLimit.count() / 1000));
    else if (!runner.succeeded())
      problems.push_back(fmt::format("the last run {}, not 0", runner.outcome()));
    if (!runner.succeeded()) last_error = last_error_line(runner.output());
  }

  void record(const MigProcess& runner, const std::string& what) {
    runs.push_back(fmt::format("run {}: {}; it {}\n{}", runs.size() + 1, what, runner.outcome(),
                               runner.output()));
  }

  void check_history() {
    pqxx::connection connection{url};
    pqxx::nontransaction session{connection};
    const auto latest = session.exec_params(R"sql(
      SELECT v, h.direction, h.status, h.steps_done, h.steps_total, h.error
      FROM generate_series(1, $1) AS v
      LEFT JOIN LATERAL (SELECT * FROM mig.history WHERE version = v ORDER BY id DESC LIMIT 1) h
        ON true
      ORDER BY v)sql",
                                            static_cast<int>(kMigrations.size()));
    int done = 0;
    for (const auto& row : latest) {
      const auto stem = kMigrations[row[0].as<std::size_t>() - 1].first;
      if (row[1].is_null()) {
        problems.push_back(fmt::format("mig.history: {} was never attempted", stem));
      } else if (row[1].as<std::string>() != "up" || row[2].as<std::string>() != "done" ||
                 row[3].as<int>() != row[4].as<int>()) {
        problems.push_back(fmt::format(
            "mig.history: the latest attempt of {} is {} {} with {} of {} steps done{}", stem,
            row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<int>(), row[4].as<int>(),
            row[5].is_null() ? "" : ": " + last_error_line(row[5].as<std::string>())));
      } else {
        ++done;
      }
    }
    reached_head = done == static_cast<int>(kMigrations.size());
  }

  void check_status() {
    MigProcess status({"status", dir.string(), "--db", url}, logs / "status.log");
    status.wait(kRunLimit);
    const auto head = fmt::format("{0} migrations: {0} applied", kMigrations.size());
    const auto output = status.output();
    if (!status.succeeded() || output.find(head) == std::string::npos)
      problems.push_back(fmt::format("mig status {}, and says `{}` where `{}` was expected",
                                     status.outcome(), last_line(output), head));
  }

  void check_backfills() {
    const auto counts = query_row(url, R"sql(
      SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1),
             count(*) FILTER (WHERE m = 0), count(*) FILTER (WHERE m > 1), count(*)
      FROM items)sql");
    const auto count = [&](int column) { return counts[column].as<long long>(); };
    if (count(4) != kItems)
      problems.push_back(fmt::format("items has {} rows, not {}", count(4), kItems));
    for (const auto& [column, name] : {std::pair{0, "n"}, std::pair{2, "m"}}) {
      if (count(column) > 0)
        problems.push_back(
            fmt::format("{} rows were never changed by the backfill of {}", count(column), name));
      if (count(column + 1) > 0)
        problems.push_back(fmt::format("{} rows were changed more than once by the backfill of {}",
                                       count(column + 1), name));
      rows_changed_twice += count(column + 1);
    }
  }

  // Covers no INVALID index, every index and constraint there and validated, no extra one.
  void check_catalog(const std::set<std::string>& expected) {
    const auto actual = catalog(url);
    for (const auto& line : expected)
      if (!actual.contains(line)) problems.push_back("catalog: missing " + line);
    for (const auto& line : actual)
      if (!expected.contains(line)) problems.push_back("catalog: unexpected " + line);
  }

  std::string report() const {
    std::string text = fmt::format("trial {} (seed {}): {}{}\n", number, seed, describe(plan.first),
                                   plan.rerun ? "; rerun: " + describe(*plan.rerun) : "");
    for (const auto& problem : problems) text += "  - " + problem + "\n";
    for (const auto& run : runs) text += "\n" + run;
    return text;
  }
};

// ---- the test ------------------------------------------------------------------------

// Runs `mig` to its end, which must be a success; returns how long it took.
milliseconds run_to_completion(const std::vector<std::string>& arguments, const fs::path& log) {
  MigProcess run(arguments, log);
  const bool exited = run.wait(kRunLimit);
  const auto length = run.age();
  INFO(fmt::format("mig {}\n{}", fmt::join(arguments, " "), run.output()));
  REQUIRE(exited);
  REQUIRE(run.succeeded());
  return length;
}

int environment_number(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::stoi(value) : fallback;
}

struct Summary {
  int trials = 0;
  int reached_head = 0;
  int with_problems = 0;
  long long rows_changed_twice = 0;
  std::map<std::string, int> last_errors;
  std::map<std::string, std::pair<int, int>> by_first_fault;  // trials, with a broken invariant

  void add(const Trial& trial) {
    auto& [kind_trials, kind_broken] = by_first_fault[kind(trial.plan.first)];
    ++kind_trials;
    kind_broken += !trial.problems.empty();
    ++trials;
    reached_head += trial.reached_head;
    with_problems += !trial.problems.empty();
    rows_changed_twice += trial.rows_changed_twice;
    if (!trial.last_error.empty()) ++last_errors[trial.last_error];
  }

  std::string text() const {
    auto out = fmt::format(
        "fault injection: {} trials, {} reached head, {} with a broken invariant, {} rows "
        "changed twice",
        trials, reached_head, with_problems, rows_changed_twice);
    for (const auto& [first_fault, counts] : by_first_fault)
      out += fmt::format("\n  {}: {} trials, {} with a broken invariant", first_fault, counts.first,
                         counts.second);
    for (const auto& [error, count] : last_errors)
      out += fmt::format("\n  {} x last run failed: {}", count, error);
    return out;
  }
};

TEST_CASE("mig up killed at random moments reaches head on the next run", "[e2e][faults]") {
  mig::ScratchServer server;
  const auto root = fs::temp_directory_path() / fmt::format("mig-faults-{}", getpid());
  const auto dir = root / "migrations";
  fs::create_directories(dir);
  for (const auto& [name, text] : kMigrations) std::ofstream(dir / name) << text;

  // Version 1 and the seed data, once, copied into each trial's database.
  const auto template_url = server.create_database("faults_template");
  run_to_completion({"up", dir.string(), "--db", template_url, "--to", "1"}, root / "setup.log");
  execute(template_url, kSeedData);
  auto fresh_database = [&](const std::string& name) {
    execute(server.url(), fmt::format("CREATE DATABASE {} TEMPLATE faults_template", name));
    return server.url_for(name);
  };

  // An uninterrupted run: how long a run takes, and the catalog every trial must end with.
  const auto reference_url = fresh_database("faults_reference");
  const auto run_length = run_to_completion(
      {"up", dir.string(), "--db", reference_url, "--batch-pause", kBatchPause, "--no-drift-check"},
      root / "reference.log");
  const auto expected_catalog = catalog(reference_url);
  for (const auto* line :
       {"index items_account_id_idx (valid)", "index items_n_label_idx (valid)",
        "index items_lower_label_idx (valid)", "constraint items_m_nonnegative (validated)",
        "constraint items_account_id_fkey (validated)", "column items.note",
        "column item_events.note"}) {
    INFO(line);
    CHECK(std::any_of(expected_catalog.begin(), expected_catalog.end(),
                      [&](const std::string& l) { return l.starts_with(line); }));
  }
  CHECK(std::none_of(expected_catalog.begin(), expected_catalog.end(),
                     [](const std::string& l) { return l.starts_with("index items_label_idx "); }));

  const int trials = environment_number("MIG_FAULT_TRIALS", kSuiteTrials);
  const int first_seed = environment_number("MIG_FAULT_FIRST_SEED", 1);
  Summary summary;
  for (int number = 1; number <= trials; ++number) {
    const auto seed = static_cast<std::uint64_t>(first_seed + number - 1);
    const auto database = fmt::format("faults_trial_{}", number);
    Trial trial(number, seed, plan_trial(seed, run_length), dir, root, fresh_database(database));
    trial.faulted_run(trial.plan.first);
    if (trial.plan.rerun) trial.faulted_run(*trial.plan.rerun);
    trial.final_run();
    trial.check_history();
    trial.check_status();
    trial.check_backfills();
    trial.check_catalog(expected_catalog);
    summary.add(trial);
    if (!trial.problems.empty()) FAIL_CHECK(trial.report());
    // FORCE ends the backends a killed runner left behind.
    execute(server.url(), fmt::format("DROP DATABASE {} WITH (FORCE)", database));
  }
  WARN(summary.text());
  fs::remove_all(root);
}

}  // namespace
