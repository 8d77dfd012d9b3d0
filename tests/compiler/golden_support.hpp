#pragma once

// Shared by the golden tests: cases are directories, expected output is a file, and
// MIG_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.

#include <filesystem>
#include <string>
#include <vector>

namespace mig::test {

std::string read_text(const std::filesystem::path&);
void write_text(const std::filesystem::path&, const std::string&);
bool updating_golden();
// The sub-directories of `dir`, by name.
std::vector<std::string> case_names(const std::filesystem::path& dir);

}  // namespace mig::test
