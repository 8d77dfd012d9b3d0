#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// Registers the commands that talk to PostgreSQL: up, down, resolve, status, history, verify,
// drift, baseline and scratch. Each one, when it runs, sets `exit_code`: 0 success, 1 a failed
// migration or verification, 2 a usage or I/O problem (no database URL, plan not loadable, no
// command).
// `exit_code` must outlive the parse.
void add_runtime_commands(CLI::App& app, int& exit_code);

}  // namespace mig::cli
