// `mig lint --db` against a real PostgreSQL: a lock finding on a small table becomes a note
// with the table's size, one on a table with (faked) large statistics says how long the lock
// is likely held, and one on a table the database does not have is left as it was.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

mig::ScratchServer& server() {
  static mig::ScratchServer s;
  return s;
}

std::string lint(const fs::path& dir, const std::string& arguments) {
  return mig::test::run_shell(dir, fmt::format("{} lint migrations {}", MIG_BINARY, arguments)).out;
}

const json& finding(const json& report, const std::string& rule) {
  for (const auto& f : report["findings"])
    if (f["rule"] == rule) return f;
  FAIL("no " << rule << " finding in " << report.dump(2));
  throw;
}

}  // namespace

TEST_CASE("lint --db weighs lock findings by the size of their tables", "[e2e][lint_cli]") {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-lint-size-{}", getpid());
  fs::remove_all(dir);
  mig::test::write_text(dir / "migrations/0001_create_tables.mig",
                        "create table users {\n  id bigint primary key\n  email text\n}\n"
                        "create table events {\n  id bigint primary key\n  kind text\n}\n"
                        "create table audit {\n  id bigint primary key\n  what text\n}\n");
  mig::test::write_text(dir / "migrations/0002_constrain.mig",
                        "alter table users alter column email set not null\n"
                        "create index events_kind_idx on events (kind)\n"
                        "create index audit_what_idx on audit (what)\n");
  // The staging copy: users with 48 rows, events as the planner would see 52 GB of it, and
  // no audit table (only the history creates it).
  static const auto url = [] {
    const auto url = server().create_database("lint_size");
    mig::test::execute(url,
                       "create table users (id bigint primary key, email text);"
                       "insert into users select i, 'u' || i from generate_series(1, 48) i;"
                       "analyze users;"
                       "create table events (id bigint primary key, kind text);"
                       "update pg_class set reltuples = 410e6, relpages = 6815744 "
                       "where oid = 'public.events'::regclass");
    return url;
  }();

  // Its size with the primary key and the TOAST table, as PostgreSQL counts it.
  const auto users_size =
      fmt::format("public.users: ~48 rows, {} kB",
                  mig::test::number(url, "SELECT pg_total_relation_size('public.users') / 1024"));
  const auto plain = json::parse(lint(dir, "--format json"));
  const auto weighed = json::parse(lint(dir, fmt::format("--format json --db '{}'", url)));

  const auto& small = finding(weighed, "set-not-null-scan");
  CHECK(small["severity"] == "note");
  CHECK(small["message"] == finding(plain, "set-not-null-scan")["message"].get<std::string>() +
                                "; " + users_size + ": small in this database, so a note");

  const auto& large = finding(weighed, "locking-index");
  CHECK(large["severity"] == "warning");
  CHECK(large["message"] == finding(plain, "locking-index")["message"].get<std::string>() +
                                "; public.events: ~410M rows, 52 GB: the index build holds SHARE "
                                "for roughly 35 min at 25 MB/s");

  // The audit index: the database has no such table, so the finding is as without --db.
  const auto audit = [](const json& report) {
    for (const auto& f : report["findings"])
      if (f["message"].get<std::string>().find("audit_what_idx") != std::string::npos) return f;
    return json();
  };
  REQUIRE_FALSE(audit(plain).is_null());
  CHECK(audit(weighed) == audit(plain));
  CHECK(weighed["summary"]["warnings"] == plain["summary"]["warnings"].get<int>() - 1);

  SECTION("every output format carries the size") {
    for (const auto* format : {"text", "markdown", "sarif", "github"}) {
      INFO(format);
      const auto out = lint(dir, fmt::format("--format {} --db '{}'", format, url));
      // Markdown escapes `~`.
      const auto as_written = [&](std::string text) {
        if (std::string_view(format) == "markdown")
          for (auto at = text.find('~'); at != std::string::npos; at = text.find('~', at + 2))
            text.insert(at, "\\");
        return text;
      };
      CHECK(out.find(as_written(users_size)) != std::string::npos);
      CHECK(out.find(as_written("public.events: ~410M rows, 52 GB")) != std::string::npos);
    }
  }
  SECTION("mig.toml sets the thresholds and throughputs") {
    mig::test::write_text(dir / "mig.toml",
                          "[table_size]\nsmall_rows = 10\nindex_mb_per_s = 100\n");
    const auto configured = json::parse(lint(dir, fmt::format("--format json --db '{}'", url)));
    CHECK(finding(configured, "set-not-null-scan")["severity"] == "warning");
    CHECK(finding(configured, "locking-index")["message"].get<std::string>().ends_with(
        "the index build holds SHARE for roughly 9 min at 100 MB/s"));
    fs::remove(dir / "mig.toml");
  }
  SECTION("a database that cannot be reached is an I/O error") {
    const auto run = mig::test::run_shell(
        dir,
        fmt::format("{} lint migrations --db postgresql:///nowhere?host=/nonexistent", MIG_BINARY));
    CHECK(run.exit_code == 2);
  }
  fs::remove_all(dir);
}
