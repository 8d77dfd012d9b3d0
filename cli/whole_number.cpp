#include "cli/whole_number.hpp"

#include <fmt/format.h>

#include <string>

namespace mig::cli {

CLI::Validator at_least(long long minimum) {
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
