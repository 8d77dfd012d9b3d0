#include "cli/diagnostic_output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace mig::cli {

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& out) {
  const int fd = &out == &std::cout ? STDOUT_FILENO : STDERR_FILENO;
  const bool color = isatty(fd) && !std::getenv("NO_COLOR");
  for (const auto& d : diagnostics) out << render(d, color);
}

}  // namespace mig::cli
