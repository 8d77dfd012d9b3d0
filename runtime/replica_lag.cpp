#include "runtime/replica_lag.hpp"

#include <fmt/format.h>

#include <thread>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kLookInterval = std::chrono::milliseconds(200);

}  // namespace

std::string size_for_people(long long bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  std::size_t unit = 0;
  // Like pg_size_pretty: the next unit once the number has five digits.
  while (bytes >= 10 * 1024 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  return fmt::format("{} {}", bytes, kUnits[unit]);
}

std::optional<std::string> replica_over_bound(pqxx::connection& connection,
                                              const ReplicaLagBound& bound) {
  if (!bound.set()) return std::nullopt;
  pqxx::result rows;
  try {
    pqxx::nontransaction session{connection};
    // `state` is NULL when the role may not see the replica's progress; replay_lsn is NULL
    // until a new standby has replayed anything, and replay_lag once it has caught up.
    rows = session.exec(R"sql(
      SELECT coalesce(application_name, ''), state IS NOT NULL,
             pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
             (extract(epoch FROM replay_lag) * 1000)::bigint
      FROM pg_stat_replication ORDER BY 3 DESC NULLS LAST, 4 DESC NULLS LAST)sql");
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot read the replicas' lag from pg_stat_replication: {}",
                                   describe_database_error(e)));
  }
  for (const auto& row : rows) {
    const auto name = row[0].as<std::string>();
    if (!row[1].as<bool>())
      throw RuntimeError(fmt::format(
          "cannot read the lag of replica `{}` for the replica lag bound: pg_stat_replication "
          "shows it only to superusers and members of pg_read_all_stats (GRANT "
          "pg_read_all_stats TO ...)",
          name));
    if (bound.bytes > 0 && !row[2].is_null() && row[2].as<long long>() > bound.bytes)
      return fmt::format("replica lag {} > {} on {}", size_for_people(row[2].as<long long>()),
                         size_for_people(bound.bytes), name);
    if (bound.time.count() > 0 && !row[3].is_null() && row[3].as<long long>() > bound.time.count())
      return fmt::format("replica lag {} ms > {} ms on {}", row[3].as<long long>(),
                         bound.time.count(), name);
  }
  return std::nullopt;
}

std::chrono::milliseconds wait_for_replicas(pqxx::connection& connection,
                                            const ReplicaLagBound& bound,
                                            const std::function<void(const std::string&)>& report) {
  const auto started = Clock::now();
  while (const auto over = replica_over_bound(connection, bound)) {
    report("paused: " + *over);
    std::this_thread::sleep_for(kLookInterval);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}

}  // namespace mig
