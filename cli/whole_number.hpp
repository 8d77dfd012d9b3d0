#pragma once

#include <CLI/CLI.hpp>

namespace mig::cli {

// A validator for a whole number of at least `minimum`, saying so in plain words (CLI11's
// range validators answer 0 or -1 with their range, up to a 300-digit double).
CLI::Validator at_least(long long minimum);

}  // namespace mig::cli
