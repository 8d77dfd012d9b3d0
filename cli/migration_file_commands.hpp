#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// Registers the commands that write migration files: `new` (the next numbered file) and
// `renumber` (unique, increasing numbers after two branches each added the next one).
// Each sets `exit_code` when it runs: 0 success, 2 a usage or I/O problem.
void add_migration_file_commands(CLI::App& app, int& exit_code);

}  // namespace mig::cli
