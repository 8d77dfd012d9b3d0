#pragma once

#include <stdexcept>
#include <string>

namespace mig {

// Every failure the runtime reports to a person: a failed step, a refused command, a
// database that cannot be reached. The message is complete; callers print it as is.
class RuntimeError : public std::runtime_error {
 public:
  explicit RuntimeError(const std::string& message) : std::runtime_error(message) {}
};

// The database cannot be reached at all: an I/O problem rather than a failed migration.
class DatabaseUnreachable : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

}  // namespace mig
