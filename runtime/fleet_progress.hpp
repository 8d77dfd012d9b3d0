#pragma once

// The live progress of a fleet command: how many targets are done, failed and running, and
// the step each running target is on. On a terminal it redraws one block; otherwise (a
// deploy log) it writes one line per finished target.

#include <chrono>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>

#include "runtime/fleet_report.hpp"

namespace mig {

class FleetProgress {
 public:
  FleetProgress(std::ostream& out, bool redraw, std::size_t total);
  void started(const std::string& target);
  // A line of what the target's runner is doing (`applying ...`, `  step 2/3: ...`).
  void activity(const std::string& target, const std::string& line);
  void finished(const TargetResult&);
  void note(const std::string& line);  // a line between the redraws (a wave starts)
  void finish();                       // leaves the last count on the screen

 private:
  void draw(bool force);  // under mutex_
  void clear();           // under mutex_

  std::ostream& out_;
  const bool redraw_;
  const std::size_t total_;
  std::mutex mutex_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::map<std::string, std::string> running_;  // target -> what it is doing
  std::size_t drawn_lines_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace mig
