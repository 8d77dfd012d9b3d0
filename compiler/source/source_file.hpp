#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mig {

// Byte offsets [begin, end) into a SourceFile's text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Span&) const = default;
};

struct LineColumn {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  std::string_view slice(Span span) const;
  LineColumn position(std::size_t offset) const;
  std::string_view line_text(std::size_t line) const;  // without the newline

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

// The bytes of a file; throws std::runtime_error naming it when it cannot be read.
std::string read_source(const std::filesystem::path&);

}  // namespace mig
