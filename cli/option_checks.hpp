#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>

namespace mig::cli {

// A whole number of at least `minimum`, said in plain words when it is not: CLI11's range
// validators answer 0 or -1 with their range, up to a 300-digit double.
inline CLI::Validator at_least(long long minimum) {
  return CLI::Validator(
      [minimum](const std::string& text) {
        try {
          if (std::stoll(text) >= minimum) return std::string();
        } catch (const std::exception&) {
        }
        return fmt::format("must be a whole number, {} or more", minimum);
      },
      minimum == 0 ? "NONNEGATIVE" : "POSITIVE");
}

}  // namespace mig::cli
