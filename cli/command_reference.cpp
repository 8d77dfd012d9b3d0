#include "cli/command_reference.hpp"

namespace mig::cli {

namespace {

// CLI11 appends each validator's description to the type name; IsMember's is "{a,b,c}".
std::vector<std::string> choices(const CLI::Option& option) {
  const auto type = option.get_type_name();
  const auto open = type.find(":{");
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> values;
  std::string value;
  for (const char c : type.substr(open + 2, close - open - 2)) {
    if (c == ',') {
      values.push_back(std::move(value));
      value.clear();
    } else {
      value += c;
    }
  }
  values.push_back(value);
  return values;
}

OptionReference option_reference(const CLI::Option& option) {
  OptionReference reference;
  for (const auto& name : option.get_snames()) reference.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) reference.names.push_back("--" + name);
  if (option.get_type_size() > 0) {
    const auto type = option.get_type_name();
    reference.value_name = type.substr(0, type.find(':'));
    reference.choices = choices(option);
  }
  reference.description = option.get_description();
  reference.default_value = option.get_default_str();
  return reference;
}

CommandReference command(const CLI::App& app) {
  CommandReference reference{app.get_name(), app.get_description(), app.get_footer(), {}, {}};
  for (const auto* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->get_positional())
      reference.arguments.push_back(
          {option->get_name(true), option->get_description(), option->get_required()});
    else
      reference.options.push_back(option_reference(*option));
  }
  return reference;
}

}  // namespace

std::vector<CommandReference> command_reference(const CLI::App& app) {
  std::vector<CommandReference> commands{command(app)};
  for (const auto* subcommand :
       app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); }))
    commands.push_back(command(*subcommand));
  return commands;
}

std::string short_description(const std::string& description) {
  int depth = 0;
  for (std::size_t i = 0; i + 1 < description.size(); ++i) {
    depth += description[i] == '(' ? 1 : description[i] == ')' ? -1 : 0;
    if (depth == 0 && (description[i] == ':' || description[i] == ';') && description[i + 1] == ' ')
      return description.substr(0, i);
  }
  return description;
}

}  // namespace mig::cli
