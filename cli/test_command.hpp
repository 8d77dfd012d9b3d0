#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// Registers `mig test`: every migration applied, reverted and applied again on a scratch
// PostgreSQL (or --db), with the catalog compared at every version (runtime/rollback_test.hpp).
// Sets `exit_code`: 0 every migration passed, 1 a difference or a failure, 2 a usage or I/O
// problem. `exit_code` must outlive the parse.
void add_test_command(CLI::App& app, int& exit_code);

}  // namespace mig::cli
