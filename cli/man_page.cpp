#include "cli/man_page.hpp"

#include <fmt/format.h>

#include "cli/command_reference.hpp"
#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"

namespace mig::cli {

namespace {

// Text safe in a roff line: backslashes and hyphens escaped (so `--down` stays two ASCII
// hyphens), and a leading `.` or `'` not read as a request.
std::string roff(std::string_view text) {
  std::string out = text.starts_with('.') || text.starts_with('\'') ? "\\&" : "";
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

std::string bold(std::string_view text) { return "\\fB" + roff(text) + "\\fR"; }
std::string italic(std::string_view text) { return "\\fI" + roff(text) + "\\fR"; }

std::string options_section(const CommandReference& command) {
  std::string out;
  for (const auto& argument : command.arguments)
    out += fmt::format(".TP\n{}\n{}\n", italic(argument.name), roff(argument.description));
  for (const auto& option : command.options) {
    std::string names;
    for (const auto& name : option.names) names += (names.empty() ? "" : ", ") + bold(name);
    if (!option.value_name.empty()) names += " " + italic(option.value_name);
    std::string description = option.description;
    if (!option.choices.empty())
      description += fmt::format(" (one of: {})", fmt::join(option.choices, ", "));
    if (!option.default_value.empty())
      description += fmt::format(" [default: {}]", option.default_value);
    out += fmt::format(".TP\n{}\n{}\n", names, roff(description));
  }
  return out;
}

std::string usage(const CommandReference& command) {
  std::string out = "mig " + command.name + " [OPTIONS]";
  for (const auto& argument : command.arguments)
    out += argument.required ? " " + argument.name : " [" + argument.name + "]";
  return out;
}

}  // namespace

std::string man_page(const CLI::App& app, const std::string& version) {
  const auto commands = command_reference(app);
  const auto& program = commands.front();
  auto summary = program.description;
  if (summary.starts_with(program.name + ": ")) summary.erase(0, program.name.size() + 2);

  // .nh: a rule id or an option split over two lines could not be copied.
  std::string out =
      fmt::format(".TH MIG 1 \"\" \"mig {}\" \"User Commands\"\n.nh\n", roff(version));
  out += fmt::format(".SH NAME\nmig \\- {}\n", roff(summary));
  out += ".SH SYNOPSIS\n.B mig\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n";
  out += ".br\n.B mig \\-\\-version\n";
  out +=
      ".SH DESCRIPTION\n" +
      roff(
          "mig compiles migrations written in its small language (migrations/NNNN_name.mig) into "
          "reviewed, reversible, lock-aware SQL, lints them for changes that would stall live "
          "traffic, and applies the compiled plan to PostgreSQL. `mig COMMAND --help` describes a "
          "command.") +
      "\n";
  out += ".SH OPTIONS\n" + options_section(program);
  out += ".SH COMMANDS\n";
  for (auto command = commands.begin() + 1; command != commands.end(); ++command) {
    out += fmt::format(".SS \"{}\"\n{}\n", roff(usage(*command)), roff(command->description));
    out += options_section(*command);
    if (!command->example.empty()) out += ".PP\n" + roff(command->example) + "\n";
  }
  out += ".SH LINT RULES\n" + roff("`mig explain RULE` prints a rule's page.") + "\n";
  for (const auto& rule : all_rules())
    out += fmt::format(".TP\n{}\n{}\n", bold(rule->id()), roff(rule->summary()));
  out +=
      fmt::format(".TP\n{}\n{}\n", bold(kUnusedAllow), roff("an `@allow` that suppresses nothing"));
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nsuccess\n"
      ".TP\n1\n" +
      roff(
          "a migration does not compile, lint found errors (or warnings, with "
          "--deny-warnings), a migration failed or a verification did not pass") +
      "\n"
      ".TP\n2\n" +
      roff("a usage or I/O error") +
      "\n"
      ".TP\n3\n" +
      roff("mig status: migrations are pending") + "\n";
  out +=
      ".SH ENVIRONMENT\n"
      ".TP\n.B DATABASE_URL\n" +
      roff(
          "the database of up, down, resolve, status, history and verify when --db is not "
          "given, e.g. postgresql://app@db/auth") +
      "\n.TP\n.B NO_COLOR\n" + roff("when set, mig lint --color auto writes no colors") + "\n";
  out += ".SH SEE ALSO\n" +
         roff(
             "README.md and docs/ (language.md, lint.md, runtime.md, rules/) in mig's "
             "documentation directory, /usr/share/doc/mig for the Debian package.") +
         "\n";
  return out;
}

}  // namespace mig::cli
