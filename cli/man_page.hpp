#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace mig::cli {

// mig(1) in roff: every command with its arguments, options and example, read from the
// CLI11 app, then the lint rules, exit status and environment.
std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace mig::cli
