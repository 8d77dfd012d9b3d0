#pragma once

// Small text helpers for the runtime's messages.

#include <string>
#include <string_view>

namespace mig {

// `text` with `indent` after each newline, so a multi-line value lines up under its label.
inline std::string indented(const std::string& text, std::string_view indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace mig
