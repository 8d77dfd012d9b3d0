#include "cli/format_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include "cli/diagnostic_output.hpp"
#include "compiler/format/formatter.hpp"
#include "compiler/source/encoding.hpp"
#include "compiler/source/source_file.hpp"

namespace mig::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kNotFormatted = 1;
constexpr int kUsageError = 2;

struct FormatArguments {
  std::vector<std::string> paths;
  bool check = false;
};

// The .mig files to format: each file as given, the .mig files under each directory.
std::vector<fs::path> files_of(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    if (!fs::is_directory(path)) {
      if (!fs::exists(path)) throw std::runtime_error("`" + path + "` does not exist");
      files.emplace_back(path);
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(path))
      if (entry.is_regular_file() && entry.path().extension() == ".mig")
        found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    lines.push_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

// `path:LINE: not formatted`, then the first line that differs as written and as formatted.
void report_difference(const std::string& path, std::string_view written,
                       std::string_view formatted) {
  const auto a = lines_of(written), b = lines_of(formatted);
  std::size_t line = 0;
  while (line < a.size() && line < b.size() && a[line] == b[line]) ++line;
  std::cout << path << ":" << line + 1 << ": not formatted\n";
  std::cout << "  - " << (line < a.size() ? a[line] : "(end of file)") << "\n";
  std::cout << "  + " << (line < b.size() ? b[line] : "(end of file)") << "\n";
}

// The formatted text of one file, or nothing after printing why it cannot be formatted.
std::optional<std::string> formatted(const std::string& path, std::string text) {
  const SourceFile file(path, without_byte_order_mark(text));
  Diagnostics diagnostics;
  auto result = format_source(file, diagnostics);
  print_diagnostics(diagnostics, std::cerr);
  return result;
}

int format_stdin(bool check) {
  const std::string text(std::istreambuf_iterator<char>(std::cin), {});
  const auto result = formatted("<stdin>", text);
  if (!result) return kUsageError;
  if (check) {
    if (*result == text) return 0;
    report_difference("<stdin>", text, *result);
    return kNotFormatted;
  }
  std::cout << *result;
  return 0;
}

int format_files(const FormatArguments& args) {
  std::vector<fs::path> files;
  try {
    files = files_of(args.paths.empty() ? std::vector<std::string>{"migrations"} : args.paths);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  int exit_code = 0, changed = 0;
  for (const auto& path : files) {
    std::string text;
    try {
      text = read_source(path);
    } catch (const std::exception& e) {
      std::cerr << "mig: " << e.what() << "\n";
      exit_code = kUsageError;
      continue;
    }
    const auto result = formatted(path.string(), text);
    if (!result) {
      exit_code = kUsageError;
      continue;
    }
    if (*result == text) continue;
    ++changed;
    if (args.check) {
      report_difference(path.string(), text, *result);
      continue;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *result;
    if (!out.flush()) {
      std::cerr << "mig: cannot write " << path.string() << "\n";
      exit_code = kUsageError;
      continue;
    }
    std::cout << "formatted " << path.string() << "\n";
  }
  if (args.check && changed > 0) {
    std::cerr << "mig: " << changed << " of " << files.size()
              << " file(s) not formatted; `mig fmt` rewrites them\n";
    if (exit_code == 0) exit_code = kNotFormatted;
  }
  return exit_code;
}

}  // namespace

void add_format_command(CLI::App& app, int& exit_code) {
  static FormatArguments args;
  auto* command = app.add_subcommand(
      "fmt", "rewrite .mig files in the one layout: lower-case keywords, aligned columns");
  command->add_option("paths", args.paths,
                      ".mig files and directories of them (default: migrations); `-` formats "
                      "stdin to stdout");
  command->add_flag("--check", args.check,
                    "change nothing; name each file not formatted, its first differing line, "
                    "and exit 1");
  command->footer("Example: mig fmt --check migrations examples");
  command->callback([&exit_code] {
    exit_code =
        args.paths == std::vector<std::string>{"-"} ? format_stdin(args.check) : format_files(args);
  });
}

}  // namespace mig::cli
