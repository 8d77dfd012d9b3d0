// What `mig` says about itself: --version, each command's --help example, and the man page
// and shell completions it writes for installation, compared with what the parser accepts
// (read back from --help), so none of them can drift from the commands.

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/mig_process.hpp"
#include "tests/e2e/shell_command.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

// stdout of `sh -c COMMAND`, failing the test when it exits non-zero.
std::string shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string output;
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  INFO(command << "\n" << output);
  REQUIRE(pclose(pipe) == 0);
  return output;
}

// The first word of each line of a --help section ("Subcommands:", "Options:").
std::vector<std::string> section_words(const std::string& help, const std::string& section) {
  std::vector<std::string> words;
  std::istringstream lines(help.substr(help.find("\n" + section + "\n") + section.size() + 2));
  for (std::string line; std::getline(lines, line) && !line.empty() && line.starts_with("  ");) {
    std::istringstream fields(line);
    std::string word;
    fields >> word;
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

std::vector<std::string> subcommands() {
  const auto help = run_mig("--help");
  REQUIRE(help.exit_code == 0);
  auto names = section_words(help.output, "Subcommands:");
  REQUIRE(names.size() >= 10);
  return names;
}

// "-o,--output" and "--db" from a subcommand's Options: section (not its wrapped lines).
std::set<std::string> option_names(const std::string& subcommand) {
  std::set<std::string> names;
  for (const auto& word : section_words(run_mig(subcommand + " --help").output, "Options:")) {
    if (!word.starts_with('-')) continue;
    std::istringstream parts(word);
    for (std::string name; std::getline(parts, name, ',');) names.insert(name);
  }
  return names;
}

// What bash offers for `mig WORDS...` with the cursor at the end of the last word.
std::set<std::string> bash_offers(const fs::path& completion, const std::string& words) {
  const auto output = shell(fmt::format(
      "bash -c 'source \"{}\"; COMP_WORDS=(mig {}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); "
      "_mig; printf \"%s\\n\" \"${{COMPREPLY[@]}}\"'",
      completion.string(), words));
  std::set<std::string> offers;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) offers.insert(line);
  return offers;
}

// Hyphens as the man page writes them: `\-`, the ASCII hyphen-minus.
std::string roff_hyphens(const std::string& text) {
  std::string escaped;
  for (const char c : text) escaped += c == '-' ? "\\-" : std::string(1, c);
  return escaped;
}

struct GeneratedFiles {
  fs::path dir = fs::temp_directory_path() / fmt::format("mig-reference-{}", getpid());
  GeneratedFiles() {
    fs::remove_all(dir);
    const auto run = run_mig(fmt::format("--write-man-and-completions '{}'", dir.string()));
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
  }
  ~GeneratedFiles() { fs::remove_all(dir); }
};

TEST_CASE("mig --version names the version and the commit it was built from", "[cli]") {
  const auto run = run_mig("--version");
  CHECK(run.exit_code == 0);
  std::smatch match;
  const std::string output = run.output;
  REQUIRE(std::regex_match(output, match,
                           std::regex(R"(mig (\d+\.\d+\.\d+) \(commit ([0-9a-f]+|unknown)\)\n)")));
  CHECK(match[1] == MIG_VERSION);
  // The build may be older than the checkout's newest commit, never from another history.
  const bool checkout =
      shell(fmt::format("git -C '{}' rev-parse --show-toplevel 2>/dev/null || true",
                        MIG_SOURCE_DIR)) != "";
  if (checkout)
    CHECK(
        shell(fmt::format("git -C '{}' merge-base --is-ancestor '{}' HEAD && echo ancestor || true",
                          MIG_SOURCE_DIR, match[2].str())) == "ancestor\n");
  else
    CHECK(match[2] == "unknown");
}

TEST_CASE("mig lints without mig-full, and says where it looked for it for any other command",
          "[cli]") {
  const auto dir = fs::temp_directory_path() / fmt::format("mig-alone-{}", getpid());
  fs::create_directories(dir);
  fs::copy_file(MIG_BINARY, dir / "mig");
  write_text(dir / "0001_add_index.sql", "CREATE INDEX users_email ON users (email);\n");
  const auto lint = run_shell(dir, "./mig lint --format json 0001_add_index.sql 2>&1");
  CHECK(lint.exit_code == 0);  // a warning
  CHECK_THAT(lint.out, Catch::Contains("\"rule\": \"locking-index\""));
  const auto version = run_shell(dir, "./mig --version 2>&1");
  CHECK(version.exit_code == 2);
  CHECK(version.out == fmt::format("mig: cannot run {}/../libexec/mig/mig-full: No such file or "
                                   "directory\n",
                                   fs::canonical(dir).string()));
  fs::remove_all(dir);
}

TEST_CASE("every command's help ends with an example of it", "[cli]") {
  for (const auto& name : subcommands()) {
    INFO(name);
    const auto help = run_mig(name + " --help");
    CHECK(help.exit_code == 0);
    CHECK(std::regex_search(help.output, std::regex("\nExample: .*mig " + name + "[ \n]")));
  }
}

TEST_CASE("the completions offer every subcommand and each of its options", "[cli]") {
  const GeneratedFiles files;
  const auto bash = files.dir / "completions/mig.bash";
  const auto zsh = read_text(files.dir / "completions/_mig");
  const auto fish = read_text(files.dir / "completions/mig.fish");
  const auto names = subcommands();

  std::set<std::string> top_level{"-h", "--help", "--version"};
  top_level.insert(names.begin(), names.end());
  CHECK(bash_offers(bash, "\"\"") == top_level);
  CHECK(bash_offers(bash, "s") == std::set<std::string>{"scratch", "sql", "status"});
  CHECK(bash_offers(bash, "lint --format \"\"") ==
        std::set<std::string>{"text", "json", "sarif", "github", "markdown"});

  for (const auto& name : names) {
    INFO(name);
    const auto options = option_names(name);
    REQUIRE(options.contains("--help"));
    CHECK(bash_offers(bash, name + " -") == options);

    CHECK(zsh.find(fmt::format("\n    '{}:", name)) != std::string::npos);
    const auto zsh_case = zsh.find(fmt::format("\n        {}) _arguments", name));
    REQUIRE(zsh_case != std::string::npos);
    const auto zsh_specs = zsh.substr(zsh_case, zsh.find(" ;;\n", zsh_case) - zsh_case);

    CHECK(fish.find(fmt::format("-f -a {} -d", name)) != std::string::npos);
    std::string fish_lines;
    std::istringstream lines(fish);
    for (std::string line; std::getline(lines, line);)
      if (line.find(fmt::format("'__fish_seen_subcommand_from {}'", name)) != std::string::npos)
        fish_lines += line + "\n";

    for (const auto& option : options) {
      INFO(option);
      CHECK(zsh_specs.find(option + "[") != std::string::npos);
      const auto fish_option = option.starts_with("--") ? " -l " + option.substr(2) + " "
                                                        : " -s " + option.substr(1) + " ";
      CHECK(fish_lines.find(fish_option) != std::string::npos);
    }
  }
}

TEST_CASE("the man page describes every subcommand, its options and every lint rule", "[cli]") {
  const GeneratedFiles files;
  const auto page = read_text(files.dir / "man/mig.1");
  CHECK(page.starts_with(fmt::format(".TH MIG 1 \"\" \"mig {}\"", MIG_VERSION)));
  for (const auto& name : subcommands()) {
    INFO(name);
    CHECK(page.find(fmt::format(".SS \"mig {} [OPTIONS]", name)) != std::string::npos);
    for (const auto& option : option_names(name))
      CHECK(page.find("\\fB" + roff_hyphens(option) + "\\fR") != std::string::npos);
  }
  std::istringstream listing(run_mig("explain").output);
  int listed = 0;
  for (std::string rule, summary; listing >> rule && std::getline(listing, summary); ++listed)
    CHECK(page.find(fmt::format(".TP\n\\fB{}\\fR\n", roff_hyphens(rule))) != std::string::npos);
  CHECK(listed >= 28);
}

}  // namespace
}  // namespace mig::test

TEST_CASE("numeric options out of range say the range in plain words", "[cli]") {
  const std::pair<const char*, const char*> cases[] = {
      {"down --steps 0", "--steps: must be a whole number, 1 or more"},
      {"down --to -1", "--to: must be a whole number, 0 or more"},
      {"up --lock-timeout -5", "--lock-timeout: must be a whole number, 0 or more"},
      {"up --retries many", "--retries: must be a whole number, 0 or more"},
  };
  for (const auto& [arguments, message] : cases) {
    const auto run = mig::test::run_mig(arguments);
    INFO(arguments << ": " << run.output);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, Catch::StartsWith(message));
    CHECK(run.output.size() < 200);
  }
}
