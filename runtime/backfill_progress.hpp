#pragma once

// What a running backfill tells a person: on a terminal, one line redrawn in place (a bar,
// the share of the table's keys walked, rows changed, rate, time left); otherwise a plain
// log line every 10 s. The share and the time left come from the table's row estimate
// (pg_class.reltuples), so they are shown only when PostgreSQL has one.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

namespace mig {

struct BackfillCounts {
  long long keys_walked = 0;                // in key order, resumed runs included
  std::optional<long long> keys_estimated;  // the table's estimated row count
  long long rows_changed = 0;               // by this run
  double keys_per_second = 0;               // this run's rate
};

// `[#####---------------]  25 %  500000 of ~2000000 rows walked, 498000 changed,
// 280000 rows/s, 5 s left` (the bar only when `bar` is set).
std::string progress_line(const BackfillCounts&, bool bar);

class BackfillProgress {
 public:
  BackfillProgress(std::ostream& out, bool terminal, std::optional<long long> keys_estimated,
                   long long keys_walked_before);
  // Ends the redrawn line, so that an error that ends the backfill starts a line of its own.
  ~BackfillProgress();
  BackfillProgress(const BackfillProgress&) = delete;
  BackfillProgress& operator=(const BackfillProgress&) = delete;
  void batch_done(long long keys_walked, long long rows_changed);
  // Says why the backfill waits between batches (`paused: replica lag 19 MB > 16 MB on
  // standby1`): on a terminal at the end of the redrawn line, otherwise as a log line when
  // the wait begins and every 10 s.
  void paused(const std::string& why);
  void resumed();  // ends a wait paused() showed; a log line `resumed after 3.2 s`
  long long rows_changed() const { return counts_.rows_changed; }
  // Ends the redrawn line and says `backfill done: N rows in S s (R rows/s)`.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  const bool terminal_;
  BackfillCounts counts_;
  const long long keys_walked_before_;
  const Clock::time_point started_ = Clock::now();
  Clock::time_point last_shown_ = started_;
  bool shown_ = false;  // a redrawn line is waiting for its end
  std::optional<Clock::time_point> paused_since_;
  Clock::time_point pause_shown_;
  void end_line();
};

}  // namespace mig
