#include "compiler/source/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mig {

bool has_errors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

namespace {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "?";
}

std::string paint(bool color, std::string_view code, std::string_view text) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
}

}  // namespace

std::string render(const Diagnostic& d, bool color) {
  const auto severity = severity_name(d.severity);
  const auto severity_color = d.severity == Severity::Error     ? "1;31"
                              : d.severity == Severity::Warning ? "1;35"
                                                                : "1;36";
  const auto rule = d.rule.empty() ? std::string() : fmt::format(" [{}]", d.rule);
  std::string out;
  if (!d.file) {
    out = fmt::format("mig: {}: {}{}\n", paint(color, severity_color, severity), d.message, rule);
  } else {
    const auto at = d.file->position(d.span.begin);
    out = fmt::format("{}:{}:{}: {}: {}{}\n", d.file->path(), at.line, at.column,
                      paint(color, severity_color, severity), d.message, rule);
    const auto line = d.file->line_text(at.line);
    const auto number = std::to_string(at.line);
    out += fmt::format(" {} | {}\n", number, line);
    const auto end = d.file->position(std::max(d.span.end, d.span.begin + 1));
    const std::size_t width = end.line == at.line
                                  ? std::max<std::size_t>(1, end.column - at.column)
                                  : std::max<std::size_t>(1, line.size() + 1 - at.column);
    std::string marker = "^" + std::string(width - 1, '~');
    std::string pad;
    for (std::size_t i = 0; i + 1 < at.column && i < line.size(); ++i)
      pad += line[i] == '\t' ? '\t' : ' ';
    out += fmt::format(" {} | {}{}\n", std::string(number.size(), ' '), pad,
                       paint(color, "1;32", marker));
  }
  if (!d.help.empty()) out += fmt::format("{}: {}\n", paint(color, "1;36", "help"), d.help);
  return out;
}

}  // namespace mig
