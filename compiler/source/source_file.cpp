#include "compiler/source/source_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <stdexcept>

namespace mig {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::string_view SourceFile::slice(Span span) const {
  return std::string_view(text_).substr(span.begin, span.end - span.begin);
}

LineColumn SourceFile::position(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(next - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::line_text(std::size_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const auto begin = line_starts_[line - 1];
  auto end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

namespace {

// The whole of the regular file open at `fd`, read with one fstat and (mostly) one read:
// each system call costs microseconds on a virtual machine, and a history of 2,000
// migrations is 2,000 files (bench/README.md).
bool read_whole(int fd, std::string& text) {
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) return false;
  text.resize(static_cast<std::size_t>(status.st_size));
  std::size_t filled = 0;
  while (filled < text.size()) {
    const auto n = ::read(fd, text.data() + filled, text.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;  // shortened since fstat
    filled += static_cast<std::size_t>(n);
  }
  text.resize(filled);
  return true;
}

}  // namespace

std::string read_source(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::string text;
  const bool read = fd >= 0 && read_whole(fd, text);
  if (fd >= 0) ::close(fd);
  if (!read) throw std::runtime_error(fmt::format("cannot read `{}`", path.string()));
  return text;
}

}  // namespace mig
