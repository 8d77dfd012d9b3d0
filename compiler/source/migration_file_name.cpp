#include "compiler/source/migration_file_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace mig {

std::optional<MigrationFileName> parse_migration_file_name(std::string_view file_name) {
  // Read by hand: std::regex took as long as the rest of listing a directory of thousands.
  const auto digits = std::min(file_name.find_first_not_of("0123456789"), file_name.size());
  constexpr std::string_view kExtension = ".mig";
  if (digits < 4 || !file_name.ends_with(kExtension) ||
      file_name.size() <= digits + 1 + kExtension.size() || file_name[digits] != '_')
    return std::nullopt;
  const auto name = file_name.substr(digits + 1, file_name.size() - digits - 1 - kExtension.size());
  const auto snake = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!std::all_of(name.begin(), name.end(), snake)) return std::nullopt;
  MigrationFileName parsed;
  const auto [end, error] =
      std::from_chars(file_name.data(), file_name.data() + digits, parsed.number);
  if (error != std::errc() || end != file_name.data() + digits) return std::nullopt;
  parsed.name = name;
  parsed.digits = digits;
  return parsed;
}

bool is_migration_name(std::string_view name) {
  return parse_migration_file_name(fmt::format("0000_{}.mig", name)).has_value();
}

std::string migration_file_name(int number, std::string_view name, std::size_t digits) {
  return fmt::format("{:0{}}_{}.mig", number, digits, name);
}

std::vector<NumberedFile> numbered_files(const std::filesystem::path& dir) {
  std::vector<NumberedFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (auto name = parse_migration_file_name(entry.path().filename().string()))
      files.push_back({entry.path(), std::move(*name)});
  }
  std::sort(files.begin(), files.end(), [](const NumberedFile& a, const NumberedFile& b) {
    return std::tie(a.name.number, a.name.name) < std::tie(b.name.number, b.name.name);
  });
  return files;
}

std::size_t number_digits(const std::vector<NumberedFile>& files) {
  std::size_t digits = 4;
  for (const auto& file : files) digits = std::max(digits, file.name.digits);
  return digits;
}

}  // namespace mig
