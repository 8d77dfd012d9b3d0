// `mig lint` and `mig explain` as a user and CI run them: the built binary (MIG_BINARY)
// on scratch projects, checking exit codes, each output format on the same findings
// (SARIF against the official 2.1.0 schema), suppression, mig.toml, --fix and plain SQL.

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/text_files.hpp"

namespace {

namespace fs = std::filesystem;
using mig::test::read_text;
using mig::test::write_text;
using nlohmann::json;

struct Run {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command in `dir`, capturing stdout and stderr apart.
Run shell(const fs::path& dir, const std::string& command) {
  const auto err_file = dir / ".stderr";
  const auto full = "cd '" + dir.string() + "' && " + command + " 2>'" + err_file.string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(full.c_str(), "r"), pclose);
  REQUIRE(pipe);
  Run run;
  std::array<char, 4096> buffer;
  while (auto n = fread(buffer.data(), 1, buffer.size(), pipe.get()))
    run.out.append(buffer.data(), n);
  const int status = pclose(pipe.release());
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = read_text(err_file);
  fs::remove(err_file);
  return run;
}

// `mig ARGS` in `dir`, with NO_COLOR unset unless `env` sets it.
Run mig_in(const fs::path& dir, const std::string& args, const std::string& env = "") {
  return shell(dir, "env -u NO_COLOR " + env + " '" + std::string(MIG_BINARY) + "' " + args);
}

// A fresh directory per test, removed afterwards.
struct Project {
  fs::path dir;
  Project() {
    static int count = 0;
    dir = fs::temp_directory_path() /
          ("mig_lint_cli_" + std::to_string(getpid()) + "_" + std::to_string(++count));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Project() { fs::remove_all(dir); }
  Project& file(const std::string& path, const std::string& text) {
    write_text(dir / path, text);
    return *this;
  }
  std::string text(const std::string& path) const { return read_text(dir / path); }
};

constexpr const char* kUsers =
    "create table users {\n"
    "  id bigint primary key generated always as identity\n"
    "  email text\n"
    "}\n";

// Two findings: a locking index (warning) and a `timestamp` column (warning).
Project findings_project() {
  Project p;
  p.file("migrations/0001_create_users.mig", kUsers)
      .file("migrations/0002_index_users_email.mig",
            "# Look users up by email.\n"
            "create index users_email_idx on users (email)\n")
      .file("migrations/0003_add_users_seen_at.mig",
            "alter table users add column seen_at timestamp\n");
  return p;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A python3 that has jsonschema: Debian's (python3-jsonschema, see scripts/setup.sh)
// first, since a python3 earlier on PATH may lack it.
std::string python_with_jsonschema() {
  for (const std::string python : {"/usr/bin/python3", "python3"})
    if (std::system((python + " -c 'import jsonschema' >/dev/null 2>&1").c_str()) == 0)
      return python;
  return {};
}

}  // namespace

// After a fix, the migrations in `dir` lint without a finding.
void check_lints_clean(const fs::path& dir) {
  const auto again = mig_in(dir, "lint migrations --format json");
  INFO(again.out);
  CHECK(again.code == 0);
  CHECK(json::parse(again.out)["findings"].empty());
}

TEST_CASE("lint exit codes", "[lint_cli]") {
  SECTION("0 when clean") {
    Project p;
    p.file("migrations/0001_create_users.mig", kUsers);
    const auto run = mig_in(p.dir, "lint");
    CHECK(run.code == 0);
    CHECK(run.out == "0 error(s), 0 warning(s)\n");
  }
  SECTION("0 on warnings, 1 with --deny-warnings") {
    auto p = findings_project();
    CHECK(mig_in(p.dir, "lint migrations").code == 0);
    CHECK(mig_in(p.dir, "lint migrations --deny-warnings").code == 1);
  }
  SECTION("1 on errors") {
    auto p = findings_project();
    p.file("mig.toml", "[rules]\nlocking-index = \"error\"\n");
    const auto run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 1);
    CHECK(contains(run.out, "1 error(s), 1 warning(s)"));
  }
  SECTION("1 on a migration that does not compile") {
    Project p;
    p.file("migrations/0001_bad.mig", "create tabel users { id bigint }\n");
    const auto run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 1);
    CHECK(contains(run.out, "migrations/0001_bad.mig:1:1: error:"));
  }
  SECTION("2 on a missing path") {
    Project p;
    const auto run = mig_in(p.dir, "lint nowhere");
    CHECK(run.code == 2);
    CHECK(contains(run.err, "`nowhere`"));
    CHECK(mig_in(p.dir, "lint").code == 2);  // no ./migrations either
    CHECK(mig_in(p.dir, "lint missing.sql").code == 2);
  }
  SECTION("2 on a bad --format or --pg-version") {
    auto p = findings_project();
    CHECK(mig_in(p.dir, "lint migrations --format xml").code == 2);
    CHECK(mig_in(p.dir, "lint migrations --pg-version 9").code == 2);
  }
  SECTION("2 on an unknown rule in mig.toml, with its position") {
    auto p = findings_project();
    p.file("mig.toml", "pg_version = 14\n\n[rules]\nno-such-rule = \"off\"\n");
    const auto run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 2);
    CHECK(run.out.empty());
    CHECK(contains(run.err, "mig.toml:4:1: unknown rule `no-such-rule`"));
  }
  SECTION("2 on bad mig.toml syntax, with its position") {
    auto p = findings_project();
    p.file("mig.toml", "[rules]\nlocking-index = \n");
    const auto run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 2);
    CHECK(contains(run.err, "mig.toml:2:"));
  }
  SECTION("2 on bad mig.toml values, with their position") {
    auto p = findings_project();
    p.file("mig.toml", "pg_version = 9\n");
    auto run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 2);
    CHECK(contains(run.err, "mig.toml:1:14: pg_version must be between 10 and 18"));
    p.file("mig.toml", "[rules]\nlocking-index = \"loud\"\n");
    run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 2);
    CHECK(contains(run.err, "mig.toml:2:17: rule `locking-index` must be"));
    p.file("mig.toml", "pg-version = 14\n");  // a typo must not be ignored
    run = mig_in(p.dir, "lint migrations");
    CHECK(run.code == 2);
    CHECK(contains(run.err, "mig.toml:1:1: unknown key `pg-version`"));
  }
  SECTION("2 on a missing --config file") {
    auto p = findings_project();
    CHECK(mig_in(p.dir, "lint migrations --config nope.toml").code == 2);
  }
}

TEST_CASE("lint text output", "[lint_cli]") {
  auto p = findings_project();
  const auto run = mig_in(p.dir, "lint migrations");
  REQUIRE(run.code == 0);
  CHECK(!contains(run.out, "\x1b["));  // not a terminal: no colour
  const auto lines = lines_of(run.out);
  REQUIRE(lines.size() >= 9);
  // Findings in file order, GCC style, each with its source line, a caret and help.
  const std::regex head(
      R"(^migrations/0002_index_users_email\.mig:2:1: warning: .+ \[locking-index\]$)");
  CHECK(std::regex_match(lines[0], head));
  CHECK(lines[1] == " 2 | create index users_email_idx on users (email)");
  CHECK(lines[2] == "   | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
  CHECK(lines[3].starts_with("help: "));
  CHECK(std::regex_match(
      lines[4],
      std::regex(
          R"(^migrations/0003_add_users_seen_at\.mig:1:\d+: warning: .+ \[prefer-timestamptz\]$)")));
  CHECK(lines.back() == "0 error(s), 2 warning(s)");

  SECTION("--color always paints, NO_COLOR wins over auto only") {
    const auto painted = mig_in(p.dir, "lint migrations --color always");
    CHECK(contains(painted.out, "\x1b["));
    CHECK(!contains(mig_in(p.dir, "lint migrations --color auto", "NO_COLOR=1").out, "\x1b["));
    CHECK(!contains(mig_in(p.dir, "lint migrations --color never").out, "\x1b["));
    // Without escapes the coloured text is the plain text.
    CHECK(std::regex_replace(painted.out, std::regex("\x1b\\[[0-9;]*m"), "") == run.out);
  }
}

TEST_CASE("lint json output", "[lint_cli]") {
  auto p = findings_project();
  const auto run = mig_in(p.dir, "lint migrations --format json");
  REQUIRE(run.code == 0);
  const auto doc = json::parse(run.out);
  CHECK(doc["version"] == 1);
  const auto& findings = doc["findings"];
  REQUIRE(findings.size() == 2);
  const auto& first = findings[0];
  CHECK(first["file"] == "migrations/0002_index_users_email.mig");
  CHECK(first["line"] == 2);
  CHECK(first["column"] == 1);
  CHECK(first["end_line"] == 2);
  CHECK(first["end_column"] == 46);
  CHECK(first["severity"] == "warning");
  CHECK(first["rule"] == "locking-index");
  CHECK(contains(first["message"].get<std::string>(), "users_email_idx"));
  CHECK(!first["help"].get<std::string>().empty());
  CHECK(first["fix"]["description"] == "added `concurrently`");
  CHECK(findings[1]["rule"] == "prefer-timestamptz");
  CHECK(findings[1]["fix"].is_null());
  CHECK(doc["summary"] == json({{"errors", 0}, {"warnings", 2}}));

  SECTION("compile errors are findings without a rule") {
    Project bad;
    bad.file("migrations/0001_bad.mig", "create tabel users { id bigint }\n");
    const auto out = json::parse(mig_in(bad.dir, "lint migrations --format json").out);
    REQUIRE(out["findings"].size() == 1);
    CHECK(out["findings"][0]["rule"].is_null());
    CHECK(out["findings"][0]["severity"] == "error");
  }
}

TEST_CASE("lint github output", "[lint_cli]") {
  auto p = findings_project();
  p.file("migrations/0004_users_email_not_null.mig",
         "alter table users alter column email set not null\n");
  const auto run = mig_in(p.dir, "lint migrations --format github");
  REQUIRE(run.code == 0);
  const auto lines = lines_of(run.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].starts_with(
      "::warning file=migrations/0002_index_users_email.mig,line=2,col=1,endLine=2,endColumn=46,"
      "title=locking-index::building index"));
  for (const auto& line : lines) {
    CHECK(line.starts_with("::warning file=migrations/"));
    CHECK(contains(line, "%0A"));  // message and help on separate lines of the annotation
  }
  // The set-not-null help spans lines: every newline is escaped, none is left raw.
  CHECK(contains(lines[2], "title=set-not-null-scan::"));
  CHECK(contains(lines[2], "%0A    alter table users add check"));
}

TEST_CASE("lint github output escapes properties", "[lint_cli]") {
  Project p;
  p.file("dir,with:odd%chars/0001_index.sql", "create index i on users (email);\n");
  const auto run = mig_in(p.dir, "lint 'dir,with:odd%chars/0001_index.sql' --format github");
  CHECK(run.code == 0);
  CHECK(run.out.starts_with("::warning file=dir%2Cwith%3Aodd%25chars/0001_index.sql,line=1,"));
}

TEST_CASE("lint sarif output validates against the SARIF 2.1.0 schema", "[lint_cli]") {
  const auto python = python_with_jsonschema();
  REQUIRE_FALSE(python.empty());  // scripts/setup.sh installs python3-jsonschema
  auto p = findings_project();
  p.file("migrations/0004_allow.mig",
         "@allow(no-such-rule, \"why\")\ncreate table t { id bigint }\n")
      .file("migrations/0005_bad.mig", "alter table users add colum x text\n");  // compile error
  const auto run = mig_in(p.dir, "lint migrations --format sarif");
  CHECK(run.code == 1);
  write_text(p.dir / "out.sarif", run.out);
  const auto schema = fs::path(MIG_SOURCE_DIR) / "tests" / "data" / "sarif-schema-2.1.0.json";
  const auto check =
      shell(p.dir, python +
                       " -c '\n"
                       "import json, sys, jsonschema\n"
                       "schema = json.load(open(sys.argv[1]))\n"
                       "log = json.load(open(sys.argv[2]))\n"
                       "v = jsonschema.Draft202012Validator(schema, "
                       "format_checker=jsonschema.FormatChecker())\n"
                       "errors = [f\"{list(e.path)}: {e.message}\" for e in v.iter_errors(log)]\n"
                       "print(\"\\n\".join(errors) or \"valid\")\n"
                       "sys.exit(1 if errors else 0)\n' '" +
                       schema.string() + "' out.sarif");
  INFO(check.out << check.err);
  CHECK(check.code == 0);

  const auto log = json::parse(run.out);
  CHECK(log["version"] == "2.1.0");
  const auto& sarif_run = log["runs"][0];
  const auto& rules = sarif_run["tool"]["driver"]["rules"];
  const auto& results = sarif_run["results"];
  REQUIRE(results.size() >= 4);
  bool saw_index = false;
  for (const auto& r : results) {
    // Every result names a rule the driver lists, by id and index.
    REQUIRE(r.contains("ruleIndex"));
    CHECK(rules[r["ruleIndex"].get<std::size_t>()]["id"] == r["ruleId"]);
    if (r["ruleId"] != "locking-index") continue;
    saw_index = true;
    const auto& location = r["locations"][0]["physicalLocation"];
    CHECK(location["artifactLocation"]["uri"] == "migrations/0002_index_users_email.mig");
    CHECK(location["region"]["startLine"] == 2);
    CHECK(location["region"]["startColumn"] == 1);
    CHECK(r["level"] == "warning");
  }
  CHECK(saw_index);
}

TEST_CASE("lint sarif uris are percent-encoded", "[lint_cli]") {
  Project p;
  p.file("my dir/0001_index.sql", "create index i on users (email);\n");
  const auto log = json::parse(mig_in(p.dir, "lint 'my dir/0001_index.sql' --format sarif").out);
  CHECK(
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
      "my%20dir/0001_index.sql");
}

TEST_CASE("lint @allow suppression", "[lint_cli]") {
  Project p;
  p.file("migrations/0001_create_users.mig", kUsers)
      .file("migrations/0002_indexes.mig",
            "@allow(locking-index, \"users has 40 rows in every environment\")\n"
            "create index users_email_idx on users (email)\n"
            "@allow(set-not-null-scan, \"left over\")\n"
            "create index concurrently users_email2_idx on users (email)\n"
            "@allow(no-such-rule, \"typo\")\n"
            "create index concurrently users_email3_idx on users (email)\n");
  const auto run = mig_in(p.dir, "lint migrations --format json");
  CHECK(run.code == 1);  // the unknown rule is an error
  const auto findings = json::parse(run.out)["findings"];
  REQUIRE(findings.size() == 2);
  CHECK(findings[0]["rule"] == "unused-allow");
  CHECK(findings[0]["severity"] == "warning");
  CHECK(findings[0]["line"] == 3);
  CHECK(contains(findings[0]["message"], "`@allow(set-not-null-scan)` suppresses nothing"));
  CHECK(findings[1]["rule"] == "unused-allow");
  CHECK(findings[1]["severity"] == "error");
  CHECK(findings[1]["line"] == 5);
  CHECK(contains(findings[1]["message"], "unknown rule `no-such-rule`"));

  SECTION("unused-allow re-graded or turned off in mig.toml; unknown rules stay errors") {
    p.file("mig.toml", "[rules]\nunused-allow = \"off\"\n");
    auto out = json::parse(mig_in(p.dir, "lint migrations --format json").out);
    REQUIRE(out["findings"].size() == 1);
    CHECK(out["findings"][0]["severity"] == "error");
    p.file("mig.toml", "[rules]\nunused-allow = \"error\"\n");
    out = json::parse(mig_in(p.dir, "lint migrations --format json").out);
    REQUIRE(out["findings"].size() == 2);
    CHECK(out["findings"][0]["severity"] == "error");
  }
  SECTION("an allow of a disabled rule is not unused") {
    p.file("mig.toml", "[rules]\nset-not-null-scan = \"off\"\n");
    const auto out = json::parse(mig_in(p.dir, "lint migrations --format json").out);
    REQUIRE(out["findings"].size() == 1);
    CHECK(contains(out["findings"][0]["message"], "no-such-rule"));
  }
}

TEST_CASE("lint mig.toml and --pg-version", "[lint_cli]") {
  auto p = findings_project();
  SECTION("off, re-graded, defaults") {
    p.file(
        "mig.toml",
        "# project settings\n[rules]\nprefer-timestamptz = \"off\"\nlocking-index = \"error\"\n");
    const auto findings =
        json::parse(mig_in(p.dir, "lint migrations --format json").out)["findings"];
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "locking-index");
    CHECK(findings[0]["severity"] == "error");
  }
  SECTION("a rule re-graded to warning from another directory's config") {
    p.file("conf/lint.toml",
           "[rules]\nlocking-index = \"warning\"\nprefer-timestamptz = \"error\"\n");
    const auto run = mig_in(p.dir, "lint migrations --config conf/lint.toml --format json");
    CHECK(run.code == 1);
    const auto findings = json::parse(run.out)["findings"];
    REQUIRE(findings.size() == 2);
    CHECK(findings[1]["severity"] == "error");
  }
  SECTION("pg_version in mig.toml, and --pg-version over it") {
    p.file("migrations/0004_users_email_not_null.mig",
           "alter table users alter column email set not null\n");
    const auto help = [&](const std::string& args) {
      const auto doc = json::parse(mig_in(p.dir, "lint migrations --format json " + args).out);
      for (const auto& f : doc["findings"])
        if (f["rule"] == "set-not-null-scan") return f["help"].get<std::string>();
      return std::string("no finding");
    };
    CHECK(contains(help(""), "PostgreSQL 15 then skips the scan"));
    p.file("mig.toml", "pg_version = 11\n");
    CHECK(contains(help(""), "before PostgreSQL 12 there is no way around the scan"));
    CHECK(contains(help("--pg-version 13"), "PostgreSQL 13 then skips the scan"));
  }
}

TEST_CASE("lint --fix adds concurrently in place", "[lint_cli]") {
  auto p = findings_project();
  const auto run = mig_in(p.dir, "lint migrations --fix");
  CHECK(run.code == 0);
  CHECK(contains(run.err,
                 "migrations/0002_index_users_email.mig:2:1: added `concurrently` "
                 "[locking-index]"));
  CHECK(contains(run.err, "fixed 1 finding(s) in 1 file(s)"));
  // The fixed finding is not reported as a finding any more.
  CHECK(!contains(run.out, "[locking-index]"));
  CHECK(contains(run.out, "[prefer-timestamptz]"));
  CHECK(p.text("migrations/0002_index_users_email.mig") ==
        "# Look users up by email.\n"
        "create index concurrently users_email_idx on users (email)\n");
  const auto again = mig_in(p.dir, "lint migrations --format json");
  CHECK(again.code == 0);
  const auto doc = json::parse(again.out);
  for (const auto& f : doc["findings"]) CHECK(f["rule"] != "locking-index");
}

TEST_CASE("lint --fix writes a follow-up migration", "[lint_cli]") {
  Project p;
  p.file("migrations/0001_create_users.mig", kUsers)
      .file("migrations/0002_users_email_not_null.mig",
            "alter table users alter column email set not null\n")
      .file("migrations/0003_create_roles.mig", "create table roles { id bigint primary key }\n");
  const auto run = mig_in(p.dir, "lint migrations --fix");
  INFO(run.out << run.err);
  CHECK(run.code == 0);
  CHECK(contains(run.err, "[set-not-null-scan]"));
  CHECK(contains(run.err, "wrote migrations/0004_set_users_email_not_null.mig"));
  CHECK(p.text("migrations/0002_users_email_not_null.mig") ==
        "alter table users add check users_email_not_null (email is not null) not valid\n");
  CHECK(contains(p.text("migrations/0004_set_users_email_not_null.mig"),
                 "validate constraint users_email_not_null"));
  // The fixed history compiles and lints clean of the rule.
  check_lints_clean(p.dir);
}

TEST_CASE("lint --fix adds not valid and validates in a new migration", "[lint_cli]") {
  Project p;
  p.file("migrations/0001_create_users.mig", kUsers)
      .file("migrations/0002_users_email_nonempty.mig",
            "alter table users add check users_email_nonempty (email <> '')\n");
  const auto run = mig_in(p.dir, "lint migrations --fix");
  INFO(run.out << run.err);
  CHECK(run.code == 0);
  CHECK(contains(run.err, "migrations/0002_users_email_nonempty.mig:1:19: added `not valid`"));
  CHECK(contains(run.err,
                 "wrote migrations/0003_validate_users_email_nonempty.mig "
                 "[constraint-without-not-valid]"));
  CHECK(p.text("migrations/0002_users_email_nonempty.mig") ==
        "alter table users add check users_email_nonempty (email <> '') not valid\n");
  CHECK(contains(p.text("migrations/0003_validate_users_email_nonempty.mig"),
                 "alter table users validate constraint users_email_nonempty\n"));
  check_lints_clean(p.dir);
}

TEST_CASE("lint --fix in plain SQL files", "[lint_cli]") {
  Project p;
  const std::string one_transaction =
      "-- Look users up by email.\ncreate index users_email_idx on users (email);\n";
  p.file("0001_index.sql", one_transaction)
      .file("0002_index.sql",
            "-- mig:no-transaction\ncreate index users_email2_idx on users (email);\n");
  const auto run = mig_in(p.dir, "lint 0001_index.sql 0002_index.sql --fix");
  INFO(run.out << run.err);
  CHECK(run.code == 0);
  // In a file that runs in one transaction CONCURRENTLY would fail: left as it is.
  CHECK(p.text("0001_index.sql") == one_transaction);
  CHECK(contains(run.out, "0001_index.sql:2:1: warning:"));
  CHECK(contains(run.err, "0002_index.sql:2:1: added `CONCURRENTLY` [locking-index]"));
  CHECK(p.text("0002_index.sql") ==
        "-- mig:no-transaction\ncreate index CONCURRENTLY users_email2_idx on users (email);\n");
  CHECK(mig_in(p.dir, "lint 0002_index.sql --deny-warnings").code == 0);
}

TEST_CASE("lint plain SQL files", "[lint_cli]") {
  Project p;
  p.file("sql/0001_create.sql",
         "create table users (id bigint primary key, email text);\n"
         "create index users_email_idx on users (email);\n")
      .file("sql/0002_index.sql", "create index concurrently users_email2_idx on users (email);\n")
      .file("sql/0003_index.sql",
            "-- mig:no-transaction\ncreate index concurrently users_email3_idx on users (email);\n")
      .file("sql/0004_index.sql",
            "-- mig:allow locking-index users is small everywhere\n"
            "create index users_email4_idx on users (email);\n"
            "create index users_email5_idx on users (email);\n"
            "-- mig:allow locking-index nothing to allow here\n"
            "create index concurrently users_email6_idx on users (email);\n");
  const auto run = mig_in(p.dir,
                          "lint sql/0001_create.sql sql/0002_index.sql sql/0003_index.sql "
                          "sql/0004_index.sql --format json");
  INFO(run.out << run.err);
  CHECK(run.code == 0);
  std::vector<std::string> seen;
  const auto doc = json::parse(run.out);
  for (const auto& f : doc["findings"])
    seen.push_back(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + " " +
                   f["rule"].get<std::string>());
  // 0001: an index on a table created in the same file is fine. 0002: a plain file runs
  // in one transaction, where CONCURRENTLY fails. 0003 says it runs without one.
  // 0004: the allow covers line 2 only; the second allow covers nothing.
  CHECK(seen == std::vector<std::string>{"sql/0002_index.sql:1 concurrently-in-transaction",
                                         "sql/0004_index.sql:3 locking-index",
                                         "sql/0004_index.sql:4 unused-allow",
                                         "sql/0004_index.sql:5 concurrently-in-transaction"});

  SECTION("a syntax error is an error at its place") {
    p.file("sql/0005_bad.sql", "create tabel x (id int);\n");
    const auto bad = mig_in(p.dir, "lint sql/0005_bad.sql");
    CHECK(bad.code == 1);
    CHECK(contains(bad.out, "sql/0005_bad.sql:1:8: error: syntax error"));
  }
  SECTION("a directory and .sql files together are a usage error") {
    p.file("migrations/0001_create_users.mig", kUsers);
    CHECK(mig_in(p.dir, "lint migrations sql/0002_index.sql").code == 2);
  }
}

TEST_CASE("plain SQL files are reported file by file, the same for any number of jobs",
          "[lint_cli]") {
  Project p;
  std::string files;
  for (int i = 1; i <= 40; ++i) {
    const auto name = fmt::format("sql/{:04}_step.sql", i);
    // Every seventh file does not parse; the others each have one locking index.
    p.file(name, i % 7 ? fmt::format("create index t{0}_idx on t{0} (c);\n", i)
                       : "create tabel x (id int);\n");
    files += " " + name;
  }
  const auto lines_naming_files = [](const std::string& text) {
    std::vector<std::string> files;
    const std::regex at(R"((sql/\d{4}_step\.sql):\d+:\d+: )");
    for (const auto& line : lines_of(text))
      if (std::smatch m; std::regex_search(line, m, at)) files.push_back(m[1]);
    return files;
  };
  const auto text = mig_in(p.dir, "lint -j1" + files);
  INFO(text.out << text.err);
  CHECK(text.code == 1);
  const auto order = lines_naming_files(text.out);
  CHECK(order.size() == 40);
  CHECK(std::is_sorted(order.begin(), order.end()));
  CHECK(contains(text.out, "5 error(s), 35 warning(s)"));
  for (const std::string format : {"text", "json", "sarif", "github"}) {
    INFO("--format " << format);
    const auto one = mig_in(p.dir, "lint -j1 --format " + format + files);
    CHECK(one.code == 1);
    CHECK(mig_in(p.dir, "lint -j3 --format " + format + files).out == one.out);
    CHECK(mig_in(p.dir, "lint -j16 --format " + format + files).out == one.out);
  }
  const auto doc = json::parse(mig_in(p.dir, "lint --format json" + files).out);
  CHECK(doc["findings"].size() == 40);
  CHECK(doc["summary"] == json{{"errors", 5}, {"warnings", 35}});
  CHECK(
      json::parse(mig_in(p.dir, "lint --format sarif" + files).out)["runs"][0]["results"].size() ==
      40);
}

TEST_CASE("explain lists rules and prints pages", "[lint_cli]") {
  Project p;
  const auto list = mig_in(p.dir, "explain");
  CHECK(list.code == 0);
  CHECK(contains(list.out, "locking-index"));
  const auto page = mig_in(p.dir, "explain locking-index");
  CHECK(page.code == 0);
  CHECK(page.out.starts_with("# locking-index"));
  CHECK(mig_in(p.dir, "explain no-such-rule").code == 2);
}
