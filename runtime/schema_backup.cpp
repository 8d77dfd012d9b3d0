#include "runtime/schema_backup.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <system_error>

#include "runtime/runtime_error.hpp"
#include "runtime/subprocess.hpp"

namespace mig {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDebianPostgres15PgDump = "/usr/lib/postgresql/15/bin/pg_dump";

std::string default_pg_dump() {
  std::error_code error;
  return fs::exists(kDebianPostgres15PgDump, error) ? kDebianPostgres15PgDump : "pg_dump";
}

std::string utc_timestamp() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y%m%dT%H%M%SZ}", now);
}

}  // namespace

fs::path backup_schema(const std::string& database_url, const fs::path& dir,
                       int first_pending_version, const std::string& pg_dump) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error)
    throw RuntimeError(
        fmt::format("--backup-schema: cannot create directory {}: {}; nothing was "
                    "applied",
                    dir.string(), error.message()));
  const auto path =
      dir / fmt::format("{}_before_{:04}.sql", utc_timestamp(), first_pending_version);
  const auto program = pg_dump.empty() ? default_pg_dump() : pg_dump;
  // The URL stays out of messages: it may carry a password.
  const std::vector<std::string> shown = {program, "--schema-only", "--file", path.string()};
  auto argv = shown;
  argv.insert(argv.end(), {"--no-password", "--dbname", database_url});
  const auto result = run_command(argv);
  if (result.exit_status != 0) {
    fs::remove(path, error);
    auto output = result.output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    throw RuntimeError(fmt::format(
        "--backup-schema: `{}` failed with status {}{}{}\n  nothing was applied; fix the dump "
        "(pg_dump must be at least as new as the server; --pg-dump PATH picks another) or run "
        "without --backup-schema",
        command_line(shown), result.exit_status, output.empty() ? "" : ":\n  ", output));
  }
  return path;
}

}  // namespace mig
