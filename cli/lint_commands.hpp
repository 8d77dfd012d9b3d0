#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// `mig lint` and `mig explain`. Exit codes: 0 clean, 1 errors (or warnings with
// --deny-warnings), 2 usage or I/O errors.
void add_lint_commands(CLI::App& app, int& exit_code);

}  // namespace mig::cli
