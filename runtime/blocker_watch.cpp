#include "runtime/blocker_watch.hpp"

#include <fmt/format.h>

#include <ostream>

namespace mig {

namespace {

// Waiting longer than this is worth telling a person about while it happens.
constexpr auto kLongWait = std::chrono::seconds(5);
constexpr std::size_t kQueryDisplayLength = 200;

std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > kQueryDisplayLength) out = out.substr(0, kQueryDisplayLength) + "...";
  return out;
}

}  // namespace

// pg_blocking_pids takes every lock manager partition lock, so it is asked only while the
// backend waits for a lock: watching a busy statement that waits for nothing stays cheap.
std::string describe_blockers(pqxx::transaction_base& tx, int pid) {
  const auto rows = tx.exec_params(R"sql(
    SELECT a.pid, coalesce(a.state, '?'), coalesce(a.application_name, ''),
           extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start,
                                                           a.backend_start))::numeric(12, 1),
           coalesce(a.query, '')
    FROM pg_stat_activity waiting
    CROSS JOIN LATERAL unnest(pg_blocking_pids(waiting.pid)) AS blocking(pid)
    JOIN pg_stat_activity a ON a.pid = blocking.pid
    WHERE waiting.pid = $1 AND waiting.wait_event_type = 'Lock'
    ORDER BY a.pid)sql",
                                   pid);
  std::string out;
  for (const auto& row : rows) {
    if (!out.empty()) out += "; ";
    out += describe_session(row[0].as<int>(), row[1].as<std::string>(), row[3].as<std::string>(),
                            row[2].as<std::string>(), row[4].as<std::string>());
  }
  return out;
}

std::string describe_session(int pid, const std::string& state, const std::string& seconds,
                             const std::string& application, const std::string& query) {
  return fmt::format("pid {} ({} for {} s, application `{}`): {}", pid, state, seconds, application,
                     one_line(query));
}

BlockerWatch::BlockerWatch(pqxx::connection& watcher, int watched_pid,
                           std::chrono::milliseconds first_look, std::chrono::milliseconds interval,
                           std::ostream& out)
    : watcher_(watcher),
      watched_pid_(watched_pid),
      first_look_(first_look),
      interval_(interval),
      out_(out),
      thread_([this] { watch(); }) {}

BlockerWatch::~BlockerWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopped_.notify_all();
  thread_.join();
}

std::string BlockerWatch::last_seen() {
  std::lock_guard lock(mutex_);
  return last_seen_;
}

void BlockerWatch::watch() {
  bool blocked = false;
  std::chrono::steady_clock::time_point blocked_since;
  bool announced = false;
  std::unique_lock lock(mutex_);
  for (auto wait = first_look_; !stopped_.wait_for(lock, wait, [this] { return stop_; });
       wait = interval_) {
    lock.unlock();
    std::string blockers;
    try {
      pqxx::nontransaction session{watcher_};
      blockers = describe_blockers(session, watched_pid_);
    } catch (const pqxx::failure&) {
      return;  // Only a diagnostic is lost; the watched statement goes on.
    }
    const auto now = std::chrono::steady_clock::now();
    if (blockers.empty()) {
      blocked = false;
    } else if (!blocked) {
      blocked = true;
      blocked_since = now;
    } else if (!announced && now - blocked_since >= kLongWait) {
      out_ << fmt::format("  still waiting for a lock, blocked by {}\n", blockers);
      announced = true;
    }
    lock.lock();
    if (!blockers.empty()) last_seen_ = blockers;
  }
}

}  // namespace mig
