#include "cli/shell_completion.hpp"

#include <fmt/format.h>

#include "cli/command_reference.hpp"

namespace mig::cli {

namespace {

constexpr std::string_view kGenerated =
    "# Generated from mig's command-line definition at build time; do not edit.\n";

// Inside single quotes: a quote ends the string, so it is written as '\''.
std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string joined(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, " "));
}

// Free text (a directory, a file, a URL) is completed as a file name; numbers are not.
bool takes_file(const OptionReference& option) {
  return option.value_name == "TEXT" && option.choices.empty();
}

// `text` with a backslash before each of `specials`.
std::string escaped(std::string_view text, std::string_view specials) {
  std::string out;
  for (const char c : text) {
    if (specials.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  const auto commands = command_reference(app);
  std::vector<std::string> top_words;
  for (auto c = commands.begin() + 1; c != commands.end(); ++c) top_words.push_back(c->name);
  for (const auto& option : commands.front().options)
    top_words.insert(top_words.end(), option.names.begin(), option.names.end());

  std::string value_cases, option_cases;
  for (auto c = commands.begin() + 1; c != commands.end(); ++c) {
    std::vector<std::string> names;
    for (const auto& option : c->options) {
      names.insert(names.end(), option.names.begin(), option.names.end());
      if (option.value_name.empty()) continue;
      const auto reply =
          !option.choices.empty()
              ? fmt::format("$(compgen -W {} -- \"$cur\")", single_quoted(joined(option.choices)))
          : takes_file(option) ? std::string("$(compgen -f -- \"$cur\")")
                               : std::string();
      for (const auto& name : option.names)
        value_cases +=
            fmt::format("    {}\\ {}) COMPREPLY=({}); return ;;\n", c->name, name, reply);
    }
    option_cases += fmt::format("    {}) words={} ;;\n", c->name, single_quoted(joined(names)));
  }

  return fmt::format(
      R"({}# bash completion for mig
_mig() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} command="" words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${{COMP_WORDS[i]}} == -* ]] || {{ command=${{COMP_WORDS[i]}}; break; }}
  done
  if [[ -z $command ]]; then
    COMPREPLY=($(compgen -W {} -- "$cur"))
    return
  fi
  case "$command $prev" in
{}  esac
  case $command in
{}  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}}
complete -o filenames -F _mig mig
)",
      kGenerated, single_quoted(joined(top_words)), value_cases, option_cases);
}

std::string zsh_completion(const CLI::App& app) {
  const auto option_specs = [](const CommandReference& command, std::string_view indent) {
    std::string specs;
    for (const auto& option : command.options) {
      const auto exclusive =
          option.names.size() > 1 ? fmt::format("({})", joined(option.names)) : std::string();
      std::string action;
      if (!option.choices.empty())
        action = fmt::format(":{}:({})", option.value_name, joined(option.choices));
      else if (takes_file(option))
        action = ":path:_files";
      else if (!option.value_name.empty())
        action = ":" + option.value_name + ": ";
      // In an option spec, `[`, `]` and `:` would end the description.
      const auto description = escaped(short_description(option.description), "[]:\\");
      for (const auto& name : option.names)
        specs += fmt::format(" \\\n{}{}", indent,
                             single_quoted(exclusive + name + "[" + description + "]" + action));
    }
    return specs;
  };

  const auto commands = command_reference(app);
  std::string command_list, command_cases;
  for (auto c = commands.begin() + 1; c != commands.end(); ++c) {
    command_list += fmt::format(
        "    {}\n", single_quoted(c->name + ":" + escaped(short_description(c->description), ":")));
    command_cases +=
        fmt::format("        {}) _arguments -s{}{} ;;\n", c->name, option_specs(*c, "            "),
                    c->arguments.empty() ? "" : " \\\n            '*:file:_files'");
  }
  return fmt::format(
      R"(#compdef mig
{}
_mig() {{
  local -a commands=(
{}  )
  local curcontext=$curcontext state line
  _arguments -C{} \
    '1:command:->command' \
    '*::argument:->argument'
  case $state in
    command) _describe -t commands 'mig command' commands ;;
    argument)
      case $words[1] in
{}      esac
      ;;
  esac
}}

_mig "$@"
)",
      kGenerated, command_list, option_specs(commands.front(), "    "), command_cases);
}

std::string fish_completion(const CLI::App& app) {
  const auto commands = command_reference(app);
  const auto option_lines = [](const std::string& condition, const CommandReference& command) {
    std::string lines;
    for (const auto& option : command.options) {
      std::string names;
      for (const auto& name : option.names)
        names += (name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1));
      // -r: takes a value, file names offered; -x: takes a value, no file names.
      std::string value;
      if (!option.choices.empty())
        value = " -x -a " + single_quoted(joined(option.choices));
      else if (!option.value_name.empty())
        value = takes_file(option) ? " -r" : " -x";
      lines += fmt::format("complete -c mig -n {}{}{} -d {}\n", single_quoted(condition), names,
                           value, single_quoted(short_description(option.description)));
    }
    return lines;
  };

  std::string out{kGenerated};
  out += "# fish completion for mig\n";
  out += option_lines("__fish_use_subcommand", commands.front());
  for (auto c = commands.begin() + 1; c != commands.end(); ++c)
    out += fmt::format("complete -c mig -n __fish_use_subcommand -f -a {} -d {}\n", c->name,
                       single_quoted(short_description(c->description)));
  for (auto c = commands.begin() + 1; c != commands.end(); ++c)
    out += option_lines("__fish_seen_subcommand_from " + c->name, *c);
  return out;
}

}  // namespace mig::cli
