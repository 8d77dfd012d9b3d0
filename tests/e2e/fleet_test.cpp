// `mig up`, `status`, `verify` and `drift` over a fleet: databases listed in a file, in
// mig.toml or found by a query, tenant schemas of one database, failures stopping the fleet
// or not, canaries, reruns of what failed, and the bounds on how many targets run at once.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

ScratchServer& server() {
  static ScratchServer shared;
  return shared;
}

// A migrations directory and a place for targets files and reports, fresh for each case.
struct FleetCase {
  explicit FleetCase(const std::string& name)
      : dir(fs::temp_directory_path() / fmt::format("mig-fleet-{}-{}", name, getpid())) {
    fs::remove_all(dir);
    write_text(dir / "migrations/0001_create_items.mig",
               "create table items {\n  id bigint primary key\n  n int not null default 0\n}\n");
    write_text(dir / "migrations/0002_items_note.mig", "alter table items add column note text\n");
  }
  ~FleetCase() { fs::remove_all(dir); }

  // New databases `<prefix>_1` ... `<prefix>_<count>`, listed in `targets`.
  std::vector<std::string> databases(const std::string& prefix, int count) {
    std::vector<std::string> urls;
    std::string list = "# the fleet\n";
    for (int i = 1; i <= count; ++i) {
      urls.push_back(server().create_database(fmt::format("{}_{}", prefix, i)));
      list += urls.back() + "\n";
    }
    write_text(targets(), list);
    return urls;
  }
  fs::path targets() const { return dir / "targets"; }
  std::string migrations() const { return (dir / "migrations").string(); }

  fs::path dir;
};

struct FleetRun {
  int exit_code = -1;
  nlohmann::json report;  // stdout, with --format json
  std::string progress;   // stderr
};

// `mig ARGUMENTS --format json` (run in `directory` if given), its report and its progress
// apart.
FleetRun run_fleet(const FleetCase& c, const std::string& arguments,
                   const fs::path& directory = {}) {
  const auto progress = c.dir / "progress.txt";
  const auto report = c.dir / "report.json";
  const auto command = fmt::format("{}'{}' {} --format json >'{}' 2>'{}'",
                                   directory.empty() ? "" : "cd '" + directory.string() + "' && ",
                                   MIG_BINARY, arguments, report.string(), progress.string());
  const int status = std::system(command.c_str());
  FleetRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.progress = read_text(progress);
  const auto text = read_text(report);
  INFO(run.progress << text);
  REQUIRE_NOTHROW(run.report = nlohmann::json::parse(text));
  return run;
}

const nlohmann::json& target_named(const FleetRun& run, const std::string& name) {
  for (const auto& target : run.report.at("targets"))
    if (target.at("target") == name) return target;
  FAIL("no target " << name << " in " << run.report.dump(2));
  throw std::logic_error("unreachable");
}

std::vector<std::string> statuses(const FleetRun& run) {
  std::vector<std::string> out;
  for (const auto& target : run.report.at("targets")) out.push_back(target.at("status"));
  return out;
}

bool has_table(const std::string& url, const std::string& table) {
  return number(url, fmt::format("SELECT count(*) FROM pg_class WHERE oid = to_regclass('{}')",
                                 table)) == 1;
}

TEST_CASE("fleet: up, status and verify over the databases of a targets file", "[e2e][fleet]") {
  FleetCase c("file");
  const auto urls = c.databases("fleet_file", 4);
  const auto up = run_fleet(
      c, fmt::format("up '{}' --targets '{}' --jobs 2", c.migrations(), c.targets().string()));
  INFO(up.progress << up.report.dump(2));
  CHECK(up.exit_code == 0);
  REQUIRE(up.report.at("targets").size() == 4);
  CHECK(up.report.at("command") == "up");
  CHECK(up.report.at("failed") == 0);
  for (const auto& url : urls) {
    const auto& target = target_named(up, url);
    CHECK(target.at("status") == "done");
    CHECK(target.at("version_before") == 0);
    CHECK(target.at("version") == 2);
    CHECK(target.at("error").is_null());
    CHECK(has_table(url, "public.items"));
    CHECK(number(url, "SELECT count(*) FROM mig.history WHERE status = 'done'") == 2);
  }
  CHECK(up.progress.find("[4/4] ") != std::string::npos);

  const auto status =
      run_fleet(c, fmt::format("status '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(status.exit_code == 0);
  CHECK(statuses(status) == std::vector<std::string>(4, "at head"));

  write_text(c.dir / "migrations/0003_items_label.mig",
             "alter table items add column label text\n");
  const auto pending =
      run_fleet(c, fmt::format("status '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(pending.exit_code == 3);
  CHECK(statuses(pending) == std::vector<std::string>(4, "pending"));
  CHECK(target_named(pending, urls[0]).at("version") == 2);

  const auto verify =
      run_fleet(c, fmt::format("verify '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(verify.exit_code == 0);
  CHECK(statuses(verify) == std::vector<std::string>(4, "ok"));
  // A changed applied migration is a mismatch on each target, named with the file.
  write_text(c.dir / "migrations/0002_items_note.mig", "alter table items add column memo text\n");
  const auto changed =
      run_fleet(c, fmt::format("verify '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(changed.exit_code == 1);
  CHECK(statuses(changed) == std::vector<std::string>(4, "mismatch"));
  CHECK_THAT(target_named(changed, urls[2]).at("error").get<std::string>(),
             Catch::Contains("0002_items_note"));

  // The text table: one row per target, then the count.
  const auto table = run_mig(
      fmt::format("status '{}' --targets '{}' --jobs 4", c.migrations(), c.targets().string()));
  CHECK(table.exit_code == 1);
  CHECK_THAT(table.output, Catch::Contains("4 targets: 4 needs attention"));
  CHECK_THAT(table.output, Catch::Contains(urls[3]));
}

TEST_CASE("fleet: a targets file names its problems", "[e2e][fleet]") {
  FleetCase c("bad");
  write_text(c.targets(), "postgresql:///a\n# comment\npostgresql:///a  # again\n");
  const auto twice =
      run_mig(fmt::format("up '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.output,
             Catch::Contains(c.targets().string() + ":3: `postgresql:///a` is listed twice"));
  const auto missing =
      run_mig(fmt::format("up '{}' --targets '{}/none'", c.migrations(), c.dir.string()));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("cannot read the targets file"));
  const auto json =
      run_mig(fmt::format("up '{}' --db postgresql:///x --format json", c.migrations()));
  CHECK(json.exit_code == 2);
  CHECK_THAT(json.output, Catch::Contains("--format json reports a fleet"));
}

TEST_CASE("fleet: targets found by a query against a catalog database", "[e2e][fleet]") {
  FleetCase c("query");
  const auto urls = c.databases("fleet_query", 3);
  const auto catalog = server().create_database("fleet_query_catalog");
  execute(catalog, "CREATE TABLE databases (url text, active boolean)");
  for (std::size_t i = 0; i < urls.size(); ++i)
    execute(catalog, fmt::format("INSERT INTO databases VALUES ('{}', {})", urls[i], i != 1));
  const auto up = run_fleet(
      c, fmt::format("up '{}' --targets-query 'SELECT url FROM databases WHERE active ORDER BY "
                     "url' --catalog '{}'",
                     c.migrations(), catalog));
  INFO(up.progress);
  CHECK(up.exit_code == 0);
  REQUIRE(up.report.at("targets").size() == 2);
  CHECK(has_table(urls[0], "items"));
  CHECK_FALSE(has_table(urls[1], "items"));
  CHECK(has_table(urls[2], "items"));

  const auto bad = run_mig(
      fmt::format("up '{}' --targets-query 'SELECT nope' --catalog '{}'", c.migrations(), catalog));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--targets-query failed in the catalog database"));
}

TEST_CASE("fleet: a failed target stops the fleet, or not; a rerun takes only what failed",
          "[e2e][fleet]") {
  FleetCase c("fail");
  const auto urls = c.databases("fleet_fail", 4);
  // The second database has an `items` table already: 0001 fails there.
  execute(urls[1], "CREATE TABLE items (id int)");
  const auto up =
      fmt::format("up '{}' --targets '{}' --jobs 1", c.migrations(), c.targets().string());
  const auto stopped = run_fleet(c, up);
  INFO(stopped.progress << stopped.report.dump(2));
  CHECK(stopped.exit_code == 1);
  CHECK(statuses(stopped) == std::vector<std::string>{"done", "failed", "skipped", "skipped"});
  const auto& failed = target_named(stopped, urls[1]);
  CHECK(failed.at("failed") == true);
  CHECK(failed.at("version_before") == 0);
  CHECK(failed.at("version") == 0);
  CHECK(failed.at("failed_migration") == "0001_create_items");
  CHECK_THAT(failed.at("error").get<std::string>(),
             Catch::Contains("0001_create_items: step 1 of 1 failed") &&
                 Catch::Contains("already exists"));
  CHECK_THAT(target_named(stopped, urls[3]).at("error").get<std::string>(),
             Catch::Contains("not run: the fleet stopped at the first failure"));
  CHECK(stopped.report.at("failed") == 1);
  CHECK_FALSE(has_table(urls[2], "mig.history"));
  const auto first_report = c.dir / "first.json";
  fs::copy_file(c.dir / "report.json", first_report);

  // With --continue-on-error the others go on; the failing one fails again.
  const auto went_on = run_fleet(c, up + " --continue-on-error");
  CHECK(went_on.exit_code == 1);
  CHECK(statuses(went_on) == std::vector<std::string>{"done", "failed", "done", "done"});
  CHECK(has_table(urls[3], "items"));

  // Repaired, a rerun of the first report's failed and skipped targets runs only those.
  execute(urls[1], "DROP TABLE items");
  execute(urls[0], "DROP TABLE items; DROP SCHEMA mig CASCADE");  // would fail if run again
  const auto rerun = run_fleet(c, up + fmt::format(" --only-failed '{}'", first_report.string()));
  INFO(rerun.progress << rerun.report.dump(2));
  CHECK(rerun.exit_code == 0);
  REQUIRE(rerun.report.at("targets").size() == 3);
  CHECK(target_named(rerun, urls[1]).at("status") == "done");
  CHECK(target_named(rerun, urls[1]).at("version") == 2);
  CHECK(target_named(rerun, urls[2]).at("version_before") == 2);
  CHECK_FALSE(has_table(urls[0], "items"));
}

TEST_CASE("fleet: a canary that fails keeps the rest from starting", "[e2e][fleet]") {
  FleetCase c("canary");
  const auto urls = c.databases("fleet_canary", 5);
  execute(urls[1], "CREATE TABLE items (id int)");
  const auto run = run_fleet(c, fmt::format("up '{}' --targets '{}' --canary 2 --jobs 4 "
                                            "--continue-on-error",
                                            c.migrations(), c.targets().string()));
  INFO(run.progress << run.report.dump(2));
  CHECK(run.exit_code == 1);
  CHECK(statuses(run) ==
        std::vector<std::string>{"done", "failed", "skipped", "skipped", "skipped"});
  CHECK(target_named(run, urls[0]).at("wave") == 1);
  CHECK(target_named(run, urls[4]).at("wave") == 2);
  CHECK(target_named(run, urls[4]).at("error") == "not run: a canary target failed");
  CHECK_FALSE(has_table(urls[4], "items"));

  execute(urls[1], "DROP TABLE items");
  const auto healthy = run_fleet(c, fmt::format("up '{}' --targets '{}' --canary 2 --jobs 4",
                                                c.migrations(), c.targets().string()));
  CHECK(healthy.exit_code == 0);
  CHECK(statuses(healthy) == std::vector<std::string>(5, "done"));
  CHECK_THAT(healthy.progress, Catch::Contains("canaries done; the remaining 3 targets"));
}

TEST_CASE("fleet: a target waiting for a lock holds up no other target", "[e2e][fleet]") {
  FleetCase c("lock");
  const auto urls = c.databases("fleet_lock", 4);
  REQUIRE(
      run_mig(fmt::format("up '{}' --targets '{}' --to 1", c.migrations(), c.targets().string()))
          .exit_code == 0);
  // A session of the application keeps the first database's table locked.
  pqxx::connection holder{urls[0]};
  pqxx::work held{holder};
  held.exec("LOCK TABLE items IN ACCESS SHARE MODE");
  const auto run = run_fleet(c, fmt::format("up '{}' --targets '{}' --jobs 2 --continue-on-error "
                                            "--conflict-wait 1500 --lock-timeout 50 --retries 1",
                                            c.migrations(), c.targets().string()));
  held.abort();
  INFO(run.progress << run.report.dump(2));
  CHECK(run.exit_code == 1);
  const auto& waiting = target_named(run, urls[0]);
  CHECK(waiting.at("status") == "failed");
  CHECK(waiting.at("version") == 1);
  CHECK(waiting.at("failed_migration") == "0002_items_note");
  CHECK_THAT(waiting.at("error").get<std::string>(), Catch::Contains("lock_timeout"));
  // The other three ran on the second worker while the first waited.
  for (std::size_t i = 1; i < urls.size(); ++i) {
    const auto& target = target_named(run, urls[i]);
    CHECK(target.at("status") == "done");
    CHECK(target.at("finished_ms").get<long long>() < waiting.at("finished_ms").get<long long>());
  }
}

TEST_CASE("fleet: two fleet runs at once apply each migration once on each target",
          "[e2e][fleet]") {
  FleetCase c("twice");
  // A slow middle migration, so that the two runs meet on the same targets.
  write_text(c.dir / "migrations/0002_items_note.mig",
             "sql {\n  insert into items (id, n) values (1, 1);\n  select pg_sleep(0.2)\n} down {\n"
             "  delete from items where n = 1\n}\n");
  write_text(c.dir / "migrations/0003_items_label.mig",
             "alter table items add column label text\n");
  const auto urls = c.databases("fleet_twice", 4);
  const auto up = [&](const std::string& name) {
    return fmt::format(
        "'{}' up '{}' --targets '{}' --jobs 2 --lock-wait 60 --format json "
        ">'{}/{}.json' 2>'{}/{}.txt'",
        MIG_BINARY, c.migrations(), c.targets().string(), c.dir.string(), name, c.dir.string(),
        name);
  };
  int first = -1, second = -1;
  std::thread one([&] { first = std::system(up("one").c_str()); });
  std::thread two([&] { second = std::system(up("two").c_str()); });
  one.join();
  two.join();
  INFO(read_text(c.dir / "one.txt") << read_text(c.dir / "two.txt"));
  CHECK(WIFEXITED(first));
  CHECK(WEXITSTATUS(first) == 0);
  CHECK(WIFEXITED(second));
  CHECK(WEXITSTATUS(second) == 0);
  for (const auto& url : urls) {
    INFO(url);
    CHECK(number(url, "SELECT count(*) FROM items WHERE n = 1") == 1);
    CHECK(number(url, "SELECT count(*) FROM mig.history WHERE status = 'done'") == 3);
    CHECK(number(url, "SELECT count(*) FROM mig.history") == 3);
  }
  // Both reports say every target is at the last version.
  for (const auto* name : {"one.json", "two.json"}) {
    const auto report = nlohmann::json::parse(read_text(c.dir / name));
    REQUIRE(report.at("targets").size() == urls.size());
    for (const auto& target : report.at("targets")) {
      CHECK(target.at("status") == "done");
      CHECK(target.at("version") == 3);
    }
  }
}

TEST_CASE("fleet: at most --jobs-per-host targets of one server at a time", "[e2e][fleet]") {
  FleetCase c("perhost");
  write_text(c.dir / "migrations/0002_items_note.mig",
             "sql {\n  select pg_sleep(0.4)\n} down {\n  select 1\n}\n");
  const auto urls = c.databases("fleet_perhost", 6);
  std::atomic<bool> done = false;
  std::atomic<long long> most = 0;
  std::thread sampler([&] {
    pqxx::connection connection{server().url()};
    while (!done) {
      pqxx::nontransaction session{connection};
      const auto sleeping =
          session
              .exec1(
                  "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                  "'%pg_sleep(0.4)%' AND state = 'active' AND pid <> pg_backend_pid()")[0]
              .as<long long>();
      most = std::max(most.load(), sleeping);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const auto run = run_fleet(c, fmt::format("up '{}' --targets '{}' --jobs 6 --jobs-per-host 2",
                                            c.migrations(), c.targets().string()));
  done = true;
  sampler.join();
  INFO(run.progress << run.report.dump(2));
  CHECK(run.exit_code == 0);
  CHECK(most == 2);
  // The same bound in the report's own times: never more than two targets overlap.
  std::vector<std::pair<long long, int>> edges;
  for (const auto& target : run.report.at("targets")) {
    edges.emplace_back(target.at("started_ms").get<long long>(), 1);
    edges.emplace_back(target.at("finished_ms").get<long long>(), -1);
  }
  std::sort(edges.begin(), edges.end());  // an end sorts before a start at the same ms
  int at_once = 0, most_at_once = 0;
  for (const auto& [when, change] : edges) most_at_once = std::max(most_at_once, at_once += change);
  CHECK(most_at_once == 2);
}

TEST_CASE("fleet: schema-per-tenant, each tenant with its own schema and history", "[e2e][fleet]") {
  FleetCase c("tenants");
  write_text(c.dir / "migrations/0002_items_note.mig",
             "alter table items add column note text\n"
             "sql {\n  insert into items (id, note) values (1, 'seeded')\n} down {\n"
             "  delete from items where id = 1\n}\n");
  write_text(c.dir / "migrations/0003_items_n_idx.mig",
             "create index concurrently items_n_idx on items (n)\n");
  write_text(c.dir / "migrations/0004_bump.mig", "backfill items set n = n + 1 batch 1\n");
  const auto url = server().create_database("fleet_tenants");
  execute(url,
          "CREATE TABLE tenants (name text); "
          "INSERT INTO tenants VALUES ('acme'), ('globex'), ('Initech Ltd')");
  const auto tenants = fmt::format(
      "'{}' --tenant-schemas --targets-query 'SELECT name FROM tenants ORDER BY name' --db '{}'",
      c.migrations(), url);
  const auto up = run_fleet(c, "up " + tenants);
  INFO(up.progress << up.report.dump(2));
  CHECK(up.exit_code == 0);
  REQUIRE(up.report.at("targets").size() == 3);
  for (const std::string schema : {"acme", "globex", "Initech Ltd"}) {
    const auto& target = target_named(up, schema);
    CHECK(target.at("schema") == schema);
    CHECK(target.at("version") == 4);
    const auto quoted = "\"" + schema + "\"";
    CHECK(has_table(url, quoted + ".items"));
    CHECK(has_table(url, quoted + ".items_n_idx"));
    CHECK(number(url, fmt::format("SELECT n FROM {}.items WHERE note = 'seeded'", quoted)) == 1);
    CHECK(number(url, fmt::format("SELECT count(*) FROM {}.mig_history WHERE status = 'done'",
                                  quoted)) == 4);
  }
  CHECK_FALSE(has_table(url, "public.items"));
  CHECK_FALSE(has_table(url, "mig.history"));

  const auto status = run_fleet(c, "status " + tenants);
  CHECK(status.exit_code == 0);
  CHECK(statuses(status) == std::vector<std::string>(3, "at head"));

  // The database's own `mig up` is as before: public and mig.history, apart from the tenants.
  REQUIRE(run_mig(fmt::format("up '{}' --db '{}' --to 1", c.migrations(), url)).exit_code == 0);
  CHECK(has_table(url, "public.items"));
  CHECK(number(url, "SELECT count(*) FROM mig.history") == 1);
  const auto still = run_fleet(c, "verify " + tenants);
  CHECK(still.exit_code == 0);
  CHECK(target_named(still, "globex").at("version") == 4);

  // One more tenant: its schema is made, and only it has anything to do.
  execute(url, "INSERT INTO tenants VALUES ('hooli')");
  const auto onboarding = run_fleet(c, "up " + tenants);
  CHECK(onboarding.exit_code == 0);
  CHECK(target_named(onboarding, "hooli").at("version_before") == 0);
  CHECK(target_named(onboarding, "acme").at("version_before") == 4);
  CHECK(has_table(url, "hooli.items"));
}

TEST_CASE("fleet: a failed tenant's error names the tenant's schema", "[e2e][fleet]") {
  FleetCase c("tenant_error");
  const auto url = server().create_database("fleet_tenant_error");
  execute(url, "CREATE SCHEMA globex; CREATE TABLE globex.items (id int)");
  write_text(c.targets(), "acme\nglobex\n");
  const auto up = run_fleet(c, fmt::format("up '{}' --tenant-schemas --targets '{}' --db '{}'",
                                           c.migrations(), c.targets().string(), url));
  INFO(up.progress << up.report.dump(2));
  CHECK(up.exit_code == 1);
  const auto error = target_named(up, "globex").at("error").get<std::string>();
  CHECK_THAT(error, Catch::Contains("create table globex.items"));
  CHECK_THAT(error + up.progress, !Catch::Contains("public."));
}

TEST_CASE("fleet: the targets and options in mig.toml's [fleet], and the command line over them",
          "[e2e][fleet]") {
  FleetCase c("config");
  const auto urls = c.databases("fleet_config", 3);
  write_text(c.dir / "mig.toml", fmt::format("pg_version = 15\n[fleet]\ntargets = [\"{}\", "
                                             "\"{}\"]\njobs = 2\ncontinue_on_error = true\n",
                                             urls[0], urls[1]));
  // ./mig.toml of the directory mig runs in.
  const auto up = run_fleet(c, "up migrations", c.dir);
  INFO(up.progress << up.report.dump(2));
  CHECK(up.exit_code == 0);
  REQUIRE(up.report.at("targets").size() == 2);
  CHECK(target_named(up, urls[1]).at("version") == 2);
  CHECK_FALSE(has_table(urls[2], "items"));
  // --targets replaces the file's targets; --db alone is that one database.
  const auto other =
      run_fleet(c, fmt::format("status migrations --targets '{}'", c.targets().string()), c.dir);
  CHECK(other.report.at("targets").size() == 3);
  CHECK(target_named(other, urls[2]).at("status") == "pending");
  const auto one = run_mig(fmt::format("status '{}' --config '{}' --db '{}'", c.migrations(),
                                       (c.dir / "mig.toml").string(), urls[2]));
  CHECK(one.exit_code == 3);
  CHECK_THAT(one.output, !Catch::Contains("targets"));
  // `mig lint` reads the same file.
  CHECK(
      run_mig(fmt::format("lint '{}' --config '{}'", c.migrations(), (c.dir / "mig.toml").string()))
          .exit_code == 0);

  // A targets file named there, relative to mig.toml.
  write_text(c.dir / "conf/mig.toml", "[fleet]\ntargets = \"../targets\"\n");
  const auto from_file = run_fleet(c, fmt::format("verify '{}' --config '{}'", c.migrations(),
                                                  (c.dir / "conf/mig.toml").string()));
  CHECK(from_file.report.at("targets").size() == 3);

  // Bad keys and values, with where they are.
  write_text(c.dir / "bad.toml", "[fleet]\njobs = 0\n");
  const auto zero =
      run_mig(fmt::format("up '{}' --config '{}'", c.migrations(), (c.dir / "bad.toml").string()));
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.output,
             Catch::Contains("bad.toml:2:8: `jobs` must be a whole number, 1 or more"));
  write_text(c.dir / "bad.toml", "[fleet]\ntargets = [\"a\"]\njbos = 3\n");
  const auto unknown = run_mig(
      fmt::format("status '{}' --config '{}'", c.migrations(), (c.dir / "bad.toml").string()));
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("bad.toml:3:1: unknown key `jbos` in [fleet]"));
}

TEST_CASE("fleet: drift of each database, one replay per applied version", "[e2e][fleet][drift]") {
  FleetCase c("drift");
  const auto urls = c.databases("fleet_drift", 4);
  REQUIRE(run_fleet(c, fmt::format("up '{}' --targets '{}'", c.migrations(), c.targets().string()))
              .exit_code == 0);
  execute(urls[1], "ALTER TABLE items ADD COLUMN hotfix text");
  execute(urls[2], "ALTER TABLE items ALTER COLUMN note TYPE varchar(20)");
  // The fourth is one version behind, as it should be at version 1.
  execute(urls[3], "ALTER TABLE items DROP COLUMN note; DELETE FROM mig.history WHERE version = 2");
  const auto drift = run_fleet(
      c, fmt::format("drift '{}' --targets '{}' --jobs 3", c.migrations(), c.targets().string()));
  INFO(drift.progress << drift.report.dump(2));
  CHECK(drift.exit_code == 1);
  CHECK(drift.report.at("command") == "drift");
  CHECK(statuses(drift) == std::vector<std::string>{"ok", "drift", "drift", "ok"});
  CHECK(target_named(drift, urls[0]).at("differences").empty());
  CHECK(target_named(drift, urls[3]).at("version") == 1);
  CHECK(target_named(drift, urls[1]).at("version") == 2);
  CHECK(target_named(drift, urls[1]).at("differences") ==
        nlohmann::json::array({"drift: column public.items.hotfix exists in the database but "
                               "not in the model (applied version 0002)"}));
  CHECK(target_named(drift, urls[2]).at("differences") ==
        nlohmann::json::array({"drift: column public.items.note: type: the model says text "
                               "(made by 0002_items_note.mig:1), the database has character "
                               "varying(20)"}));

  execute(urls[1], "ALTER TABLE items DROP COLUMN hotfix");
  execute(urls[2], "ALTER TABLE items ALTER COLUMN note TYPE text");
  const auto clean =
      run_mig(fmt::format("drift '{}' --targets '{}'", c.migrations(), c.targets().string()));
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.output, Catch::Contains("4 targets: 4 ok"));
}

TEST_CASE("fleet: drift of tenant schemas, each against the replay's public",
          "[e2e][fleet][drift]") {
  FleetCase c("tenant_drift");
  write_text(c.dir / "migrations/0003_items_n_idx.mig",
             "create index concurrently items_n_idx on items (n)\n");
  const auto url = server().create_database("fleet_tenant_drift");
  write_text(c.targets(), "acme\nglobex\nInitech Ltd\n");
  const auto tenants = fmt::format("'{}' --tenant-schemas --targets '{}' --db '{}'", c.migrations(),
                                   c.targets().string(), url);
  REQUIRE(run_fleet(c, "up " + tenants).exit_code == 0);
  // The database's own public schema is no tenant's business.
  execute(url, "CREATE TABLE public.unrelated (id int)");
  const auto clean = run_fleet(c, "drift " + tenants);
  INFO(clean.progress << clean.report.dump(2));
  CHECK(clean.exit_code == 0);
  CHECK(statuses(clean) == std::vector<std::string>(3, "ok"));

  execute(url,
          "ALTER TABLE acme.items ALTER COLUMN note TYPE varchar(20); "
          "DROP INDEX globex.items_n_idx");
  const auto drift = run_fleet(c, "drift " + tenants);
  INFO(drift.progress << drift.report.dump(2));
  CHECK(drift.exit_code == 1);
  CHECK(target_named(drift, "acme").at("differences") ==
        nlohmann::json::array({"drift: column acme.items.note: type: the model says text (made "
                               "by 0002_items_note.mig:1), the database has character "
                               "varying(20)"}));
  CHECK(target_named(drift, "globex").at("differences") ==
        nlohmann::json::array({"drift: index globex.items_n_idx: the model (made by "
                               "0003_items_n_idx.mig:1) has it, the database does not"}));
  CHECK(target_named(drift, "Initech Ltd").at("status") == "ok");
}

}  // namespace
}  // namespace mig::test
