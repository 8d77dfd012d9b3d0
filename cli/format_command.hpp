#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// `mig fmt`: rewrites .mig files in their one layout (compiler/format/formatter.hpp).
// Exit codes: 0 formatted (or, with --check, nothing to change), 1 with --check when a file
// would change, 2 when a file cannot be read or parsed (it is left as it was).
void add_format_command(CLI::App& app, int& exit_code);

}  // namespace mig::cli
