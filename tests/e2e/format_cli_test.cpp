// `mig fmt` as a program: --check names what is not formatted and exits 1, without it the
// files are rewritten in place (only those that change), `-` formats stdin to stdout, and a
// syntax error is reported at file:line:col with exit code 2 and the file left alone.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/e2e/mig_process.hpp"
#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace {

namespace fs = std::filesystem;
using mig::test::read_text;
using mig::test::run_mig;
using mig::test::shell_quoted;
using mig::test::write_text;

struct Project {
  fs::path dir = fs::temp_directory_path() / ("mig_fmt_cli_" + std::to_string(getpid()));
  Project() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Project() { fs::remove_all(dir); }
  std::string path(const std::string& name) const { return shell_quoted((dir / name).string()); }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string kFormatted =
    "create table users {\n"
    "  id    bigint primary key\n"
    "  email text not null\n"
    "}\n";
const std::string kUnformatted =
    "CREATE TABLE users {\n"
    "  id bigint PRIMARY KEY\n"
    "  email text not null\n"
    "}\n";

}  // namespace

TEST_CASE("mig fmt --check exits 1 naming each unformatted file; mig fmt rewrites it", "[fmt]") {
  Project p;
  write_text(p.dir / "migrations" / "0001_create_users.mig", kUnformatted);
  write_text(p.dir / "migrations" / "0002_index_users_email.mig",
             "create index users_email_idx on users (email)\n");
  const auto before = fs::last_write_time(p.dir / "migrations" / "0002_index_users_email.mig");

  const auto check = run_mig("fmt --check " + p.path("migrations"));
  INFO(check.output);
  CHECK(check.exit_code == 1);
  CHECK(contains(check.output,
                 "0001_create_users.mig:1: not formatted\n"
                 "  - CREATE TABLE users {\n"
                 "  + create table users {\n"));
  CHECK(contains(check.output, "1 of 2 file(s) not formatted"));
  CHECK(!contains(check.output, "0002_index_users_email"));
  CHECK(read_text(p.dir / "migrations" / "0001_create_users.mig") == kUnformatted);

  const auto rewrite = run_mig("fmt " + p.path("migrations"));
  INFO(rewrite.output);
  CHECK(rewrite.exit_code == 0);
  CHECK(contains(rewrite.output,
                 "formatted " + (p.dir / "migrations").string() + "/0001_create_users.mig"));
  CHECK(read_text(p.dir / "migrations" / "0001_create_users.mig") == kFormatted);
  CHECK(fs::last_write_time(p.dir / "migrations" / "0002_index_users_email.mig") == before);

  const auto again = run_mig("fmt --check " + p.path("migrations"));
  CHECK(again.exit_code == 0);
  CHECK(again.output.empty());
}

TEST_CASE("mig fmt - formats stdin to stdout", "[fmt]") {
  Project p;
  write_text(p.dir / "input.mig", kUnformatted);
  const auto run =
      mig::test::run_shell(p.dir, "'" + std::string(MIG_BINARY) + "' fmt - < input.mig");
  CHECK(run.exit_code == 0);
  CHECK(run.out == kFormatted);
  const auto check =
      mig::test::run_shell(p.dir, "'" + std::string(MIG_BINARY) + "' fmt --check - < input.mig");
  CHECK(check.exit_code == 1);
  CHECK(contains(check.out, "<stdin>:1: not formatted"));
}

TEST_CASE("mig fmt reports a syntax error at its place and leaves the file alone", "[fmt]") {
  Project p;
  const std::string broken = "create table users {\n  id bigint primary\n}\n";
  write_text(p.dir / "migrations" / "0001_create_users.mig", broken);
  for (const auto* flags : {"", "--check "}) {
    const auto run = run_mig(std::string("fmt ") + flags + p.path("migrations"));
    INFO(run.output);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.output, "0001_create_users.mig:2:20: error: expected `key`"));
    CHECK(read_text(p.dir / "migrations" / "0001_create_users.mig") == broken);
  }
  const auto missing = run_mig("fmt " + p.path("no_such_dir"));
  CHECK(missing.exit_code == 2);
  CHECK(contains(missing.output, "does not exist"));
}
