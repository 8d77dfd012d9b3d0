#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// Parses the command line, which runs the chosen command; returns the exit code the command
// set, 0 after --help or --version, 2 for a command line that does not parse.
inline int run_app(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}

}  // namespace mig::cli
