#include "cli/migration_file_commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/source/migration_file_name.hpp"

namespace mig::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 2;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommandLine {
  std::string dir = "migrations";
  std::string name;               // new
  std::vector<std::string> last;  // renumber
  bool dry_run = false;           // renumber
};

std::function<void()> reporting(int& exit_code, std::string command, std::function<void()> body) {
  return [&exit_code, command = std::move(command), body = std::move(body)] {
    try {
      body();
      exit_code = 0;
    } catch (const std::exception& e) {
      std::cerr << fmt::format("mig {}: error: {}\n", command, e.what());
      exit_code = kExitUsage;
    }
  };
}

void new_migration(const CommandLine& line) {
  if (!is_migration_name(line.name))
    throw UsageError(
        fmt::format("`{}` cannot name a migration: use lower-case words joined by `_`, like "
                    "`add_user_status`",
                    line.name));
  fs::create_directories(line.dir);
  const auto files = numbered_files(line.dir);
  const int number = files.empty() ? 1 : files.back().name.number + 1;
  const auto file_name = migration_file_name(number, line.name, number_digits(files));
  const auto path = fs::path(line.dir) / file_name;
  if (fs::exists(path)) throw UsageError(fmt::format("{} exists already", path.string()));
  std::ofstream out(path, std::ios::binary);
  out << fmt::format(
      "# {}\n"
      "# The statements of this migration, applied in order by `mig up`. The language:\n"
      "# docs/language.md (create table, add column, backfill ..., sql {{ ... }} down {{ ... "
      "}}).\n"
      "# Never edit it once it is applied somewhere that matters: write a new migration.\n",
      file_name);
  if (!out.flush()) throw UsageError(fmt::format("cannot write {}", path.string()));
  std::cout << path.string() << "\n";
}

struct Rename {
  fs::path from;
  fs::path to;
};

// Files keep their numbers, except a file whose number an earlier file (by number, then
// name) already has, and the files named with --last: those move, in that order, after
// the highest number kept.
std::vector<Rename> renames(const CommandLine& line) {
  const auto files = numbered_files(line.dir);
  std::set<std::string> last;
  for (const auto& given : line.last) {
    const auto file_name = fs::path(given).filename().string();
    if (std::none_of(files.begin(), files.end(),
                     [&](const NumberedFile& f) { return f.path.filename() == file_name; }))
      throw UsageError(
          fmt::format("--last {}: no migration file of that name in {}", given, line.dir));
    last.insert(file_name);
  }
  std::set<int> kept;
  std::vector<const NumberedFile*> moved;
  for (const auto& file : files) {
    if (last.count(file.path.filename().string()) || kept.count(file.name.number))
      moved.push_back(&file);
    else
      kept.insert(file.name.number);
  }
  int next = kept.empty() ? 1 : *kept.rbegin() + 1;
  std::vector<Rename> result;
  for (const auto* file : moved) {
    const int number = next++;
    if (number == file->name.number) continue;
    result.push_back(
        {file->path, file->path.parent_path() /
                         migration_file_name(number, file->name.name, number_digits(files))});
  }
  return result;
}

void renumber(const CommandLine& line) {
  if (!fs::is_directory(line.dir))
    throw UsageError(fmt::format("`{}` is not a directory", line.dir));
  const auto planned = renames(line);
  if (planned.empty()) {
    std::cout << "nothing to renumber: every number is used once\n";
    return;
  }
  for (const auto& rename : planned)
    std::cout << fmt::format("{} {} -> {}\n", line.dry_run ? "would rename" : "renamed",
                             rename.from.string(), rename.to.filename().string());
  if (line.dry_run) return;
  // The highest first: a file can then move to a number another moved file is leaving.
  for (auto rename = planned.rbegin(); rename != planned.rend(); ++rename) {
    if (fs::exists(rename->to))
      throw UsageError(
          fmt::format("cannot rename {}: {} exists", rename->from.string(), rename->to.string()));
    fs::rename(rename->from, rename->to);
  }
}

}  // namespace

void add_migration_file_commands(CLI::App& app, int& exit_code) {
  auto line = std::make_shared<CommandLine>();

  auto* create = app.add_subcommand(
      "new", "write the next numbered migration file, with a header, and print its path");
  create->add_option("name", line->name, "lower-case words joined by `_`")->required();
  create->add_option("dir", line->dir, "migrations directory")->capture_default_str();
  create->footer("Example: mig new add_user_status migrations");
  create->callback(reporting(exit_code, "new", [line] { new_migration(*line); }));

  auto* renumber_command = app.add_subcommand(
      "renumber",
      "give migration files unique, increasing numbers after a merge: a file whose number an "
      "earlier one (by number, then name) has, and each --last file, move after the last");
  renumber_command->add_option("dir", line->dir, "migrations directory")->capture_default_str();
  renumber_command->add_option(
      "--last", line->last,
      "move this file after the last migration too (one not applied, numbered below one that "
      "is: `mig up` names it)");
  renumber_command->add_flag("--dry-run", line->dry_run, "print the renames without doing them");
  renumber_command->footer("Example: mig renumber migrations --last 0005_add_status.mig --dry-run");
  renumber_command->callback(reporting(exit_code, "renumber", [line] { renumber(*line); }));
}

}  // namespace mig::cli
