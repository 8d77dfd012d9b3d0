#pragma once

// Whole files as text, for tests that write sources and plans and read back what mig wrote.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mig::test {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Creates the file's folder if needed.
inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace mig::test
