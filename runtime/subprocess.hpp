#pragma once

// Runs a program and captures what it prints.

#include <string>
#include <vector>

namespace mig {

struct CommandResult {
  int exit_status = 0;  // 128 + signal number when killed; 127 when it cannot be executed
  std::string output;   // stdout and stderr together
};

// Runs argv[0] (looked up in PATH) with stdin closed; its output is captured, not shown.
CommandResult run_command(const std::vector<std::string>& argv);

// The arguments joined by spaces, for messages.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace mig
