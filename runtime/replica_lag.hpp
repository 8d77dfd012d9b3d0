#pragma once

// Keeping a migration's writes from running ahead of the streaming replicas. A backfill
// writes as fast as the primary takes it, and a standby replaying that WAL with one process
// falls behind: reads served by it go stale, and a failover to it would wait for the
// backlog. With a bound set, the runner looks at pg_stat_replication before each backfill
// batch and before each concurrent index build, and waits while a replica lags more than
// the bound. No replica connected: nothing to wait for.

#include <chrono>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace mig {

struct ReplicaLagBound {
  long long bytes = 0;                // WAL not yet replayed; 0: no bound
  std::chrono::milliseconds time{0};  // pg_stat_replication.replay_lag; 0: no bound
  bool set() const { return bytes > 0 || time.count() > 0; }
};

// The first replica over the bound, for a person: `replica lag 19 MB > 16 MB on standby1`;
// nullopt when every replica is within it. Throws RuntimeError when the lag cannot be read
// (pg_stat_replication shows it only to superusers and members of pg_read_all_stats).
std::optional<std::string> replica_over_bound(pqxx::connection&, const ReplicaLagBound&);

// Waits, looking every 200 ms, while a replica is over the bound, with no time limit: a
// stopped run resumes where it stopped. Calls `report` with `paused: replica lag ...` at
// each look while waiting. Returns how long it waited (zero when it did not).
std::chrono::milliseconds wait_for_replicas(pqxx::connection&, const ReplicaLagBound&,
                                            const std::function<void(const std::string&)>& report);

// `512 B`, `40 kB`, `19 MB`, `3 GB`: as pg_size_pretty, rounding down.
std::string size_for_people(long long bytes);

}  // namespace mig
