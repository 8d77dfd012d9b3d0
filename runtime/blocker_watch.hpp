#pragma once

#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>

namespace mig {

// Watches, from its own connection, which sessions block a backend while it runs a
// statement (pg_blocking_pids), so a lock timeout can name what it waited for: after the
// timeout the wait is over and the server no longer knows. Says once on `out` when the
// wait gets long. The first look comes after `first_look`, so that the many statements that
// end sooner cost nothing to watch; then one every `interval`. Watching stops when the
// object is destroyed.
class BlockerWatch {
 public:
  BlockerWatch(pqxx::connection& watcher, int watched_pid, std::chrono::milliseconds first_look,
               std::chrono::milliseconds interval, std::ostream& out);
  ~BlockerWatch();
  BlockerWatch(const BlockerWatch&) = delete;
  BlockerWatch& operator=(const BlockerWatch&) = delete;

  // The blockers seen last, e.g. `pid 42 (idle in transaction for 3.1 s, application `psql`):
  // LOCK TABLE ...`; empty when the statement was never blocked.
  std::string last_seen();

 private:
  void watch();

  pqxx::connection& watcher_;
  const int watched_pid_;
  const std::chrono::milliseconds first_look_;
  const std::chrono::milliseconds interval_;
  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::string last_seen_;
  std::thread thread_;
};

// The sessions blocking `pid` right now, described as in BlockerWatch::last_seen.
std::string describe_blockers(pqxx::transaction_base&, int pid);

// One session for a person: `pid 42 (idle in transaction for 3.1 s, application `psql`):
// LOCK TABLE ...`, the query on one line and cut short.
std::string describe_session(int pid, const std::string& state, const std::string& seconds,
                             const std::string& application, const std::string& query);

}  // namespace mig
