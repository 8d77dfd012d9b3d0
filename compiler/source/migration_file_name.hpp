#pragma once

// The one place that knows how migration files are named: `NNNN_snake_name.mig`, a number
// of at least four digits, zero-padded, then lower-case words joined by `_`.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mig {

struct MigrationFileName {
  int number = 0;
  std::string name;        // `add_user_status`
  std::size_t digits = 4;  // as written: `0007` has 4
};

// Nothing when `file_name` (no directory) does not follow the pattern, or its number does
// not fit an int.
std::optional<MigrationFileName> parse_migration_file_name(std::string_view file_name);

// Whether `name` can follow the number: lower-case letters, digits and `_`.
bool is_migration_name(std::string_view name);

// `0007_add_user_status.mig`, the number padded to `digits`.
std::string migration_file_name(int number, std::string_view name, std::size_t digits);

// The numbered `.mig` files of a directory, ordered by number, then name.
struct NumberedFile {
  std::filesystem::path path;
  MigrationFileName name;
};
std::vector<NumberedFile> numbered_files(const std::filesystem::path& dir);

// How the files of a directory write their numbers: the widest, at least four digits.
std::size_t number_digits(const std::vector<NumberedFile>&);

}  // namespace mig
