#include "runtime/fleet_progress.hpp"

#include <fmt/format.h>

#include <ostream>

#include "runtime/text.hpp"

namespace mig {

namespace {

// Redrawn at most this often while targets report steps; starts and ends draw at once.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr std::size_t kRunningShown = 20;  // on a terminal, the rest is counted

bool shows_activity(const std::string& line) {
  for (const char* prefix : {"applying ", "resuming ", "  step ", "waiting "})
    if (line.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

FleetProgress::FleetProgress(std::ostream& out, bool redraw, std::size_t total)
    : out_(out), redraw_(redraw), total_(total) {}

void FleetProgress::started(const std::string& target) {
  std::lock_guard lock(mutex_);
  running_[target] = "starting";
  draw(true);
}

void FleetProgress::activity(const std::string& target, const std::string& line) {
  if (!shows_activity(line)) return;
  std::lock_guard lock(mutex_);
  const auto found = running_.find(target);
  if (found == running_.end()) return;
  const auto start = line.find_first_not_of(' ');
  found->second = line.substr(start == std::string::npos ? 0 : start);
  draw(false);
}

void FleetProgress::finished(const TargetResult& result) {
  std::lock_guard lock(mutex_);
  running_.erase(result.target.name);
  ++done_;
  if (result.failed) ++failed_;
  if (!redraw_) {
    out_ << fmt::format("[{}/{}] {}: {}{}\n", done_, total_, result.target.name, result.status,
                        result.error.empty() ? "" : ": " + first_line(result.error));
    return;
  }
  if (result.failed) {
    clear();
    out_ << fmt::format("{}: {}: {}\n", result.target.name, result.status,
                        first_line(result.error));
  }
  draw(true);
}

void FleetProgress::note(const std::string& line) {
  std::lock_guard lock(mutex_);
  clear();
  out_ << line << "\n";
  draw(true);
}

void FleetProgress::finish() {
  std::lock_guard lock(mutex_);
  clear();
}

void FleetProgress::clear() {
  if (!redraw_ || drawn_lines_ == 0) return;
  out_ << fmt::format("\x1b[{}F\x1b[J", drawn_lines_);
  drawn_lines_ = 0;
}

void FleetProgress::draw(bool force) {
  if (!redraw_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  clear();
  std::string block = fmt::format("fleet: {} of {} finished ({} failed), {} running\n", done_,
                                  total_, failed_, running_.size());
  std::size_t lines = 1;
  for (const auto& [target, doing] : running_) {
    if (lines > kRunningShown) {
      block += fmt::format("  ... and {} more\n", running_.size() - kRunningShown);
      ++lines;
      break;
    }
    block += fmt::format("  {}: {}\n", target, doing);
    ++lines;
  }
  out_ << block << std::flush;
  drawn_lines_ = lines;
}

}  // namespace mig
