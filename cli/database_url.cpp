#include "cli/database_url.hpp"

#include <cstdlib>
#include <stdexcept>

namespace mig::cli {

std::string database_url_or_environment(const std::string& given) {
  if (!given.empty()) return given;
  const char* from_environment = std::getenv("DATABASE_URL");
  if (!from_environment || !*from_environment)
    throw std::invalid_argument("no database: pass --db URL or set DATABASE_URL");
  return from_environment;
}

}  // namespace mig::cli
