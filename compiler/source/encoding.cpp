#include "compiler/source/encoding.hpp"

#include <fmt/format.h>

namespace mig {

namespace {

// The length of the UTF-8 sequence at `at`, or 0 if it is not valid (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) {
    return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0u;
  };
  const auto continuation = [&](std::size_t i, unsigned low = 0x80, unsigned high = 0xBF) {
    return byte(i) >= low && byte(i) <= high;
  };
  const unsigned first = byte(0);
  if (first < 0x80) return 1;
  if (first >= 0xC2 && first <= 0xDF) return continuation(1) ? 2 : 0;
  if (first >= 0xE0 && first <= 0xEF) {
    const unsigned low = first == 0xE0 ? 0xA0 : 0x80;
    const unsigned high = first == 0xED ? 0x9F : 0xBF;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (first >= 0xF0 && first <= 0xF4) {
    const unsigned low = first == 0xF0 ? 0x90 : 0x80;
    const unsigned high = first == 0xF4 ? 0x8F : 0xBF;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string without_byte_order_mark(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

std::optional<Diagnostic> encoding_error(const SourceFile& file) {
  const std::string_view text = file.text();
  for (std::size_t at = 0; at < text.size();) {
    if (text[at] == '\0')
      return Diagnostic{Severity::Error,
                        &file,
                        {at, at + 1},
                        "a NUL byte: migration sources are text",
                        "remove it; the file may have been saved as UTF-16 or be a binary file",
                        {}};
    const auto length = utf8_sequence_length(text, at);
    if (length == 0)
      return Diagnostic{
          Severity::Error,
          &file,
          {at, at + 1},
          fmt::format("byte 0x{:02X} is not valid UTF-8",
                      static_cast<unsigned>(static_cast<unsigned char>(text[at]))),
          "save the file as UTF-8 (it may have been saved as Latin-1 or Windows-1252)",
          {}};
    at += length;
  }
  return std::nullopt;
}

}  // namespace mig
