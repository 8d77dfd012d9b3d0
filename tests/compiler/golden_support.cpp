#include "tests/compiler/golden_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mig::test {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

bool updating_golden() {
  const char* value = std::getenv("MIG_UPDATE_GOLDEN");
  return value && std::string(value) == "1";
}

std::vector<std::string> case_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace mig::test
