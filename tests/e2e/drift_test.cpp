// `mig drift` and the drift check of `mig up` / `mig down` against a real PostgreSQL: a
// database changed by hand is reported object by object with what the migrations made and
// what the database has; a database only migrations changed reports nothing, for every
// history the repository has.

#include "runtime/drift.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compiler/plan/compiler.hpp"
#include "runtime/database_connection.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;
using mig::test::execute;
using mig::test::number;
using mig::test::run_mig;

namespace {

mig::ScratchServer& server() {
  static mig::ScratchServer s;
  return s;
}

std::string fresh_database() {
  static std::atomic<int> count{0};
  return server().create_database(fmt::format("drift_{}", ++count));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Objects of most kinds the language has, over three migrations.
fs::path many_kinds_history() {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-drift-kinds-{}", getpid());
  fs::remove_all(dir);
  mig::test::write_text(dir / "0001_base.mig", R"(create schema app
create extension pgcrypto schema app
create type app.mood as enum ('sad', 'ok', 'happy')
create table app.items {
  id       bigint primary key generated always as identity
  name     text not null default 'unnamed'
  price    numeric not null check (price >= 0)
  quantity integer not null default 1
  total    numeric generated always as (price * quantity) stored
  mood     app.mood
  code     text
  unique (code) deferrable initially deferred
}
create table app.orders {
  id      bigint primary key
  item_id bigint not null references app.items
  note    text
}
create index items_name_lower on app.items (lower(name)) include (price) with (fillfactor = 70) where price > 0
comment on table app.items is 'what we sell'
comment on column app.items.name is 'shown to customers'
comment on schema app is 'the app'
create table app.events { id bigint not null, at date not null } partition by range (at)
create table app.events_2024 partition of app.events for values from ('2024-01-01') to ('2025-01-01')
)");
  mig::test::write_text(dir / "0002_routines.mig",
                        R"(create function app.touch() returns trigger language plpgsql as $$
begin
  new.name := trim(new.name);
  return new;
end
$$
create trigger items_touch before update on app.items for each row execute function app.touch()
create view app.cheap_items as select id, name from app.items where price < 10
)");
  mig::test::write_text(dir / "0003_access.mig", R"(alter table app.items enable row level security
create policy cheap_only on app.items for select to public using (price < 100)
grant usage on schema app to drift_reader
grant select on app.items to drift_reader
create sequence app.ticket_numbers increment by 10 start with 100
)");
  return dir;
}

void create_role(const std::string& url, const std::string& role) {
  execute(url, fmt::format("do $$ begin create role {}; exception when duplicate_object then "
                           "null; end $$",
                           role));
}

}  // namespace

TEST_CASE("a column added and an index dropped by hand: drift names both, down refuses",
          "[e2e][drift]") {
  const auto url = fresh_database();
  const auto migrations = fs::path(MIG_SOURCE_DIR) / "migrations";
  const auto mig = [&](const std::string& arguments) {
    return run_mig(fmt::format("{} '{}' --db '{}'", arguments, migrations.string(), url));
  };
  REQUIRE(mig("up").exit_code == 0);
  const auto clean = mig("drift");
  INFO(clean.output);
  CHECK(clean.exit_code == 0);
  CHECK(contains(clean.output, "ok: the database matches its migrations at version 0013"));

  execute(url, "alter table users add column hotfix text; drop index users_email_normalized_key");
  // verify compares the history with the plan, not the schema.
  CHECK(mig("verify").exit_code == 0);
  const auto drift = mig("drift");
  INFO(drift.output);
  CHECK(drift.exit_code == 1);
  CHECK(contains(drift.output,
                 "drift: column public.users.hotfix exists in the database but not in the model "
                 "(applied version 0013)\n"));
  CHECK(contains(drift.output,
                 "drift: index public.users_email_normalized_key: the model (made by "
                 "0013_index_users_email_normalized.mig:2) has it, the database does not\n"));
  CHECK(contains(drift.output,
                 "2 differences between the database and its migrations at "
                 "version 0013"));

  const auto history = number(url, "select count(*) from mig.history");
  const auto down = mig("down --steps 1");
  INFO(down.output);
  CHECK(down.exit_code == 1);
  CHECK(contains(down.output,
                 "the database differs from its migrations where this run would "
                 "change it; nothing was run:"));
  CHECK(contains(down.output, "drift: index public.users_email_normalized_key: the model"));
  CHECK(contains(down.output, "--no-drift-check"));
  CHECK(number(url, "select count(*) from mig.history") == history);

  // A pending migration that changes the drifted table is refused the same way.
  const auto more = fs::temp_directory_path() / fmt::format("mig-drift-more-{}", getpid());
  fs::remove_all(more);
  fs::copy(migrations, more);
  mig::test::write_text(more / "0014_add_users_nickname.mig",
                        "alter table users add column nickname text\n");
  const auto up = run_mig(fmt::format("up '{}' --db '{}'", more.string(), url));
  INFO(up.output);
  CHECK(up.exit_code == 1);
  CHECK(contains(up.output, "drift: column public.users.hotfix exists in the database"));
  CHECK(number(url,
               "select count(*) from information_schema.columns where column_name = "
               "'nickname'") == 0);
  fs::remove_all(more);

  // Without the check, the downgrade runs into the missing index as it did before.
  const auto unchecked = mig("down --steps 1 --no-drift-check");
  INFO(unchecked.output);
  CHECK(unchecked.exit_code == 1);
  CHECK(contains(unchecked.output, "does not exist"));
}

TEST_CASE("drift reports each kind of change with both values and the migration that made it",
          "[e2e][drift]") {
  const auto url = fresh_database();
  create_role(url, "drift_reader");
  const auto dir = many_kinds_history();
  const auto mig = [&](const std::string& arguments) {
    return run_mig(fmt::format("{} '{}' --db '{}'", arguments, dir.string(), url));
  };
  const auto up = mig("up");
  INFO(up.output);
  REQUIRE(up.exit_code == 0);
  const auto clean = mig("drift");
  INFO(clean.output);
  CHECK(clean.exit_code == 0);

  execute(url, R"(
alter table app.orders alter column note type varchar(20);
alter table app.orders alter column note set not null;
alter table app.items alter column quantity set default 2;
alter table app.orders add constraint note_short check (length(note) < 100);
alter table app.items drop constraint items_price_check;
create or replace view app.cheap_items as select id, name from app.items where price < 20;
create or replace function app.touch() returns trigger language plpgsql as $$
begin
  new.name := upper(new.name);
  return new;
end
$$;
drop trigger items_touch on app.items;
drop policy cheap_only on app.items;
grant insert on app.items to drift_reader;
comment on column app.items.name is 'shown to everyone';
create index events_2024_by_id on app.events_2024 (id);
alter sequence app.ticket_numbers increment by 5 cycle;
alter table app.orders set (fillfactor = 60);
alter table app.events_2024 add constraint events_hot check (id > 0);
grant usage on sequence app.ticket_numbers to drift_reader;
grant update (name) on app.items to drift_reader;
revoke execute on function app.touch() from public;
)");
  const auto drift = mig("drift");
  INFO(drift.output);
  CHECK(drift.exit_code == 1);
  for (const auto* line : {
           "drift: column app.orders.note: type: the model says text (made by 0001_base.mig:14), "
           "the database has character varying(20)\n",
           "drift: column app.orders.note: not null: the model says no (made by "
           "0001_base.mig:14), the database has yes\n",
           "drift: column app.items.quantity: default: the model says 1 (made by "
           "0001_base.mig:4), the database has 2\n",
           "drift: constraint note_short on app.orders exists in the database but not in the "
           "model (applied version 0003)\n",
           "drift: constraint items_price_check on app.items: the model (made by "
           "0001_base.mig:4) has it, the database does not\n",
           "drift: view app.cheap_items: query: line 4: the model says `  WHERE items.price < "
           "10::numeric` (made by 0002_routines.mig:8), the database has `  WHERE items.price < "
           "20::numeric`\n",
           "drift: function app.touch(): definition: line 6: the model says `  new.name := "
           "trim(new.name);` (made by 0002_routines.mig:1), the database has `  new.name := "
           "upper(new.name);`\n",
           "drift: trigger items_touch on app.items: the model (made by 0002_routines.mig:7) has "
           "it, the database does not\n",
           "drift: policy cheap_only on app.items: the model (made by 0003_access.mig:2) has it, "
           "the database does not\n",
           "drift: table app.items: privileges of drift_reader: the model says SELECT (made by "
           "0003_access.mig:4), the database has INSERT, SELECT\n",
           "drift: column app.items.name: comment: the model says shown to customers (made by "
           "0001_base.mig:21), the database has shown to everyone\n",
           "drift: index app.events_2024_by_id exists in the database but not in the model "
           "(applied version 0003)\n",
           "drift: constraint events_hot on app.events_2024 exists in the database but not in "
           "the model (applied version 0003)\n",
           "drift: sequence app.ticket_numbers: increment: the model says 10 (made by "
           "0003_access.mig:5), the database has 5\n",
           "drift: sequence app.ticket_numbers: cycle: the model says no (made by "
           "0003_access.mig:5), the database has yes\n",
           "drift: table app.orders: storage parameter fillfactor: the model says none (made by "
           "0001_base.mig:14), the database has 60\n",
           "drift: granted to drift_reader on sequence app.ticket_numbers exists in the database "
           "but not in the model (applied version 0003)\n",
           "drift: granted to drift_reader on table app.items (name) exists in the database but "
           "not in the model (applied version 0003)\n",
           "drift: revoked from public on function app.touch() exists in the database but not in "
           "the model (applied version 0003)\n",
       })
    CHECK(contains(drift.output, line));

  const auto json = mig("drift --format json");
  INFO(json.output);
  CHECK(json.exit_code == 1);
  const auto report = nlohmann::json::parse(json.output);
  CHECK(report["version"] == 3);
  CHECK(report["drift"] == true);
  bool found = false;
  for (const auto& d : report["differences"])
    if (d["object"] == "column app.orders.note" && d["property"] == "type") {
      found = true;
      CHECK(d["model"] == "text");
      CHECK(d["database"] == "character varying(20)");
      CHECK(d["made_by"] == "0001_base.mig:14");
    }
  CHECK(found);
  fs::remove_all(dir);
}

TEST_CASE("a database only migrations changed has no drift, for every history in the repository",
          "[e2e][drift]") {
  std::vector<fs::path> histories{fs::path(MIG_SOURCE_DIR) / "migrations"};
  for (const auto* parent : {"examples", "tests/golden", "bench/zero_downtime/scenarios"})
    for (const auto& entry : fs::directory_iterator(fs::path(MIG_SOURCE_DIR) / parent)) {
      const auto name = entry.path().filename().string();
      if (!entry.is_directory() || name == "ci" || name.starts_with("fail_")) continue;
      histories.push_back(fs::is_directory(entry.path() / "migrations")
                              ? entry.path() / "migrations"
                              : entry.path());
    }
  for (const auto* role : {"app_rw", "app_ro", "app_owner"}) create_role(server().url(), role);
  int compared = 0;
  for (const auto& dir : histories) {
    const auto compilation = mig::compile_directory(dir);
    if (mig::has_errors(compilation.diagnostics)) continue;  // fail_ cases by another name
    const auto plan = compilation.plan();
    const auto url = fresh_database();
    std::ostringstream log;
    try {
      mig::Runner(url, {}, log).up(plan);
    } catch (const mig::RuntimeError& e) {
      continue;  // a history whose upgrade is meant to fail on an empty database
    }
    const auto database = mig::connect_to_database(url);
    const auto report = mig::find_drift(*database, plan.migrations, server());
    std::string differences;
    for (const auto& d : report.differences) differences += describe(d, report.version) + "\n";
    INFO(dir.string());
    CHECK(differences == "");
    CHECK(report.objects > 0);
    ++compared;
  }
  CHECK(compared >= 90);  // of the ~100 histories, those that apply to an empty database
}
