#include "compiler/source/migration_file_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <regex>
#include <tuple>

namespace mig {

std::optional<MigrationFileName> parse_migration_file_name(std::string_view file_name) {
  static const std::regex pattern(R"((\d{4,})_([a-z0-9_]+)\.mig)");
  const std::string text(file_name);
  std::smatch match;
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  MigrationFileName parsed;
  const auto digits = match[1].str();
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), parsed.number);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  parsed.name = match[2];
  parsed.digits = digits.size();
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
