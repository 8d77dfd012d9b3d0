#pragma once

// The commands and options of a CLI11 app as plain data, for the generated man page and
// shell completions: they describe exactly what the parser accepts, so they cannot drift.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace mig::cli {

struct OptionReference {
  std::vector<std::string> names;    // "-o", "--output"
  std::string value_name;            // "TEXT", "INT"; empty for a flag
  std::vector<std::string> choices;  // the only values accepted, if the option lists them
  std::string description;
  std::string default_value;
};

struct ArgumentReference {
  std::string name;
  std::string description;
  bool required = false;
};

struct CommandReference {
  std::string name;
  std::string description;
  std::string example;  // the help footer
  std::vector<OptionReference> options;
  std::vector<ArgumentReference> arguments;
};

// The program itself (its options; no arguments), then each visible subcommand in the
// order they were added. Hidden options (empty group) are left out.
std::vector<CommandReference> command_reference(const CLI::App& app);

// The description up to its first ": " or "; " outside parentheses, for completion menus.
std::string short_description(const std::string& description);

}  // namespace mig::cli
