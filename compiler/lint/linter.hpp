#pragma once

// `mig lint`: runs every enabled rule over a migrations directory (or plain .sql files),
// applies `@allow` suppressions and the project's configuration.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lint/rule.hpp"

namespace mig {

// Reported by the engine, not a rule: an `@allow` that suppresses nothing (a warning; it
// can be re-graded or turned off in mig.toml like a rule), or one that names no rule (an
// error).
inline constexpr std::string_view kUnusedAllow = "unused-allow";

// How `mig lint --db` weighs findings by table size (compiler/lint/weigh_by_size.hpp); set in
// mig.toml's [table_size]. The throughputs: docs/lint.md#table-sizes---db, where they were
// measured.
struct TableSizeSettings {
  // A table is small when it has at most this many rows (by the planner's estimate) and
  // this many bytes with its indexes and TOAST.
  long long small_rows = 10000;
  long long small_bytes = 10LL << 20;
  // MB/s of the table read by a scan (validation, `set not null`), of the table read by an
  // index build, and of the table with its indexes written by a rewrite.
  double scan_mb_per_s = 200;
  double index_mb_per_s = 25;
  double rewrite_mb_per_s = 25;
};

struct LintOptions {
  LintSettings settings;
  TableSizeSettings table_size;
  // Rule id -> severity; nullopt turns the rule off. Rules not named keep their default.
  std::map<std::string, std::optional<Severity>> severities;
  int jobs = 0;  // plain SQL files linted at once; 0: one per core
};

struct LintResult {
  Compilation compilation;  // of the .mig sources; for plain SQL only its diagnostics
  // One per plain SQL file, in the order given: its source, statements and steps (only its
  // source when it could not be read).
  std::vector<CompiledMigration> sql_migrations;
  std::vector<Finding> findings;  // in file order, after suppression

  bool has_errors() const;
  bool has_warnings() const;
};

LintResult lint_migrations(const std::filesystem::path& dir, const LintOptions&);
LintResult lint_migration_sources(std::vector<SourceText>, const LintOptions&);
// Each file is linted as one migration that runs in one transaction unless its first
// line is `-- mig:no-transaction`. `-- mig:allow rule-id reason` before a statement
// suppresses that rule for it.
LintResult lint_sql_files(const std::vector<std::filesystem::path>&, const LintOptions&);

// What linting one plain SQL file gives: its migration (its source, statements and steps;
// only its source when it could not be read), diagnostics and findings.
struct SqlFileResult {
  CompiledMigration migration;
  Diagnostics diagnostics;
  std::vector<Finding> findings;
};

// The same, each file's result handed to `take` as soon as it and those before it are
// done, in the order given (by one worker at a time), and then let go.
void lint_sql_files(const std::vector<std::filesystem::path>&, const LintOptions&,
                    const std::function<void(SqlFileResult)>& take);

// Reads mig.toml (pg_version = N, [rules] id = "error" | "warning" | "off").
// Throws std::runtime_error with the file, line and column on a bad file, an unknown key
// or rule, or a bad value.
LintOptions read_lint_config(const std::filesystem::path& file);

Diagnostic to_diagnostic(const Finding&);

}  // namespace mig
