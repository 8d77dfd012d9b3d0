#pragma once

#include <string>

namespace mig::cli {

// The URL given with --db, else $DATABASE_URL; throws std::invalid_argument saying how to
// give one when there is neither.
std::string database_url_or_environment(const std::string& given);

}  // namespace mig::cli
