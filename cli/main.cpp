// mig: runs `mig lint`, `mig explain` and `mig fmt` itself and hands every other command to
// mig-full (cli/full_main.cpp), which has them all. Linting needs no database and no plan,
// so this program links neither libpq nor OpenSSL: loading libpq and the twenty libraries
// it brings cost each `mig lint` about 6 MB and 5 % of its time, libcrypto another 3 MB and
// 5 ms (bench/README.md).

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/format_command.hpp"
#include "cli/lint_commands.hpp"
#include "cli/run_app.hpp"

namespace {

namespace fs = std::filesystem;

// Replaces this process with mig-full, given the same arguments. mig-full is next to mig in
// a build tree, and where the install put it otherwise.
[[noreturn]] void hand_over(char** argv) {
  std::error_code error;
  const auto here = fs::read_symlink("/proc/self/exe", error).parent_path();
  if (error) {
    std::cerr << fmt::format("mig: cannot find mig-full: /proc/self/exe: {}\n", error.message());
    std::exit(2);
  }
  const auto built = here / "mig-full";
  const auto program = fs::exists(built) ? built : here / MIG_FULL_FROM_BINDIR;
  execv(program.c_str(), argv);
  std::cerr << fmt::format("mig: cannot run {}: {}\n", program.string(), std::strerror(errno));
  std::exit(2);
}

bool runs_here(const CLI::App& app, const std::string& command) {
  for (const auto* subcommand : app.get_subcommands({}))
    if (subcommand->get_name() == command) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"", "mig"};  // its own help and version are mig-full's
  int exit_code = 0;
  // Only `mig lint --db` reads a database, after linting; mig-full lints again with it.
  mig::cli::add_lint_commands(
      app, exit_code,
      [argv](const std::string&, const std::vector<mig::TableName>&) -> mig::TableSizes {
        hand_over(argv);
      });
  mig::cli::add_format_command(app, exit_code);
  if (argc < 2 || !runs_here(app, argv[1])) hand_over(argv);
  return mig::cli::run_app(app, argc, argv, exit_code);
}
