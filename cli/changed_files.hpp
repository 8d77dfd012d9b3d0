#pragma once

// Which files a branch changed, from git: what `mig lint --changed-since REF` reports.

#include <filesystem>
#include <set>
#include <string>

namespace mig::cli {

// The files of the git work tree that holds `in` which differ from where the current branch
// left `ref` (their merge base): changed or added since, committed or not, and files git does
// not track and does not ignore. Paths are absolute and canonical. Throws std::runtime_error
// with git's message when git fails (not a repository, an unknown ref).
std::set<std::filesystem::path> files_changed_since(const std::string& ref,
                                                    const std::filesystem::path& in);

}  // namespace mig::cli
