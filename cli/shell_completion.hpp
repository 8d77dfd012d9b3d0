#pragma once

// Completion scripts for bash, zsh and fish, generated from the CLI11 app: subcommands,
// each subcommand's options, the values of options that accept only a few, and file names
// for arguments and other option values.

#include <CLI/CLI.hpp>
#include <string>

namespace mig::cli {

std::string bash_completion(const CLI::App& app);
std::string zsh_completion(const CLI::App& app);
std::string fish_completion(const CLI::App& app);

}  // namespace mig::cli
