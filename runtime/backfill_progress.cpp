#include "runtime/backfill_progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace mig {

namespace {

constexpr int kBarWidth = 20;
constexpr auto kTerminalInterval = std::chrono::milliseconds(200);
constexpr auto kLogInterval = std::chrono::seconds(10);

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::ceil(seconds));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, s % 3600 / 60);
}

}  // namespace

std::string progress_line(const BackfillCounts& c, bool bar) {
  std::string line;
  std::string walked = fmt::format("{} rows walked", c.keys_walked);
  if (c.keys_estimated && *c.keys_estimated > 0) {
    // An estimate: the walk may pass it, and it is never done before its last batch.
    const double share =
        std::min(0.99, static_cast<double>(c.keys_walked) / static_cast<double>(*c.keys_estimated));
    if (bar) {
      const int filled = static_cast<int>(share * kBarWidth);
      line +=
          fmt::format("[{}{}] ", std::string(filled, '#'), std::string(kBarWidth - filled, '-'));
    }
    line += fmt::format("{:3.0f} %  ", share * 100);
    walked = fmt::format("{} of ~{} rows walked", c.keys_walked,
                         std::max(*c.keys_estimated, c.keys_walked));
  }
  line += fmt::format("{}, {} changed, {:.0f} rows/s", walked, c.rows_changed, c.keys_per_second);
  if (c.keys_estimated && *c.keys_estimated > 0 && c.keys_per_second > 0)
    line += fmt::format(
        ", {} left",
        duration_text(static_cast<double>(std::max(*c.keys_estimated - c.keys_walked, 0LL)) /
                      c.keys_per_second));
  return line;
}

BackfillProgress::BackfillProgress(std::ostream& out, bool terminal,
                                   std::optional<long long> keys_estimated,
                                   long long keys_walked_before)
    : out_(out), terminal_(terminal), keys_walked_before_(keys_walked_before) {
  counts_.keys_estimated = keys_estimated;
  counts_.keys_walked = keys_walked_before;
}

void BackfillProgress::batch_done(long long keys_walked, long long rows_changed) {
  counts_.keys_walked += keys_walked;
  counts_.rows_changed += rows_changed;
  const auto now = Clock::now();
  if (now - last_shown_ < (terminal_ ? Clock::duration(kTerminalInterval) : kLogInterval)) return;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  counts_.keys_per_second =
      static_cast<double>(counts_.keys_walked - keys_walked_before_) / seconds;
  if (terminal_)
    out_ << "\r  " << progress_line(counts_, true) << "\x1b[K" << std::flush;
  else
    out_ << "  " << progress_line(counts_, false) << '\n';
  last_shown_ = now;
  shown_ = true;
}

void BackfillProgress::paused(const std::string& why) {
  const auto now = Clock::now();
  if (terminal_) {
    out_ << "\r  " << progress_line(counts_, true) << ", " << why << "\x1b[K" << std::flush;
    shown_ = true;
  } else if (!paused_since_ || now - pause_shown_ >= kLogInterval) {
    out_ << "  " << why << '\n';
    pause_shown_ = now;
  }
  if (!paused_since_) paused_since_ = now;
}

void BackfillProgress::resumed() {
  if (!paused_since_) return;
  if (!terminal_)
    out_ << fmt::format("  resumed after {:.1f} s\n",
                        std::chrono::duration<double>(Clock::now() - *paused_since_).count());
  paused_since_.reset();
}

BackfillProgress::~BackfillProgress() { end_line(); }

void BackfillProgress::end_line() {
  if (terminal_ && shown_) out_ << '\n';
  shown_ = false;
}

void BackfillProgress::finish() {
  end_line();
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  out_ << fmt::format("  backfill done: {} rows in {:.1f} s ({:.0f} rows/s)\n",
                      counts_.rows_changed, seconds,
                      seconds > 0 ? static_cast<double>(counts_.rows_changed) / seconds : 0.0);
}

}  // namespace mig
