#include "cli/changed_files.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <vector>

#include "runtime/subprocess.hpp"

namespace mig::cli {

namespace fs = std::filesystem;

namespace {

std::string git(const fs::path& in, std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {"git", "-C", in.string()});
  auto result = run_command(arguments);
  if (result.exit_status != 0)
    throw std::runtime_error(fmt::format("`{}` failed: {}", command_line(arguments),
                                         result.output.empty() ? "no output" : result.output));
  return std::move(result.output);
}

// `-z` output. The command's warnings share its output and end with a line break, so a
// line break separates names too (a file name holding one is not found).
std::vector<std::string> names(const std::string& output) {
  std::vector<std::string> out;
  std::string name;
  for (const char c : output) {
    if (c != '\0' && c != '\n') {
      name += c;
    } else if (!name.empty()) {
      out.push_back(std::move(name));
      name.clear();
    }
  }
  if (!name.empty()) out.push_back(std::move(name));
  return out;
}

}  // namespace

std::set<fs::path> files_changed_since(const std::string& ref, const fs::path& in) {
  const auto dir = in.empty() ? fs::path(".") : in;
  const auto top = names(git(dir, {"rev-parse", "--show-toplevel"}));
  if (top.empty())
    throw std::runtime_error(fmt::format("`{}` is not in a git work tree", dir.string()));
  const auto base = names(git(dir, {"merge-base", ref, "HEAD"}));
  if (base.empty())
    throw std::runtime_error(fmt::format("`{}` and HEAD have no common commit", ref));
  std::set<fs::path> changed;
  for (const auto& name : names(git(dir, {"diff", "--name-only", "-z", "--no-renames",
                                          "--diff-filter=d", base.front(), "--"})))
    changed.insert(fs::weakly_canonical(fs::path(top.front()) / name));
  for (const auto& name :
       names(git(dir, {"ls-files", "--others", "--exclude-standard", "--full-name", "-z"})))
    changed.insert(fs::weakly_canonical(fs::path(top.front()) / name));
  return changed;
}

}  // namespace mig::cli
