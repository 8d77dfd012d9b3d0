#include "runtime/migration_lock.hpp"

#include <fmt/format.h>

#include <ostream>
#include <thread>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);

bool try_lock(pqxx::connection& connection, long long key) {
  pqxx::nontransaction session{connection};
  return session.exec_params1("SELECT pg_try_advisory_lock($1)", key)[0].as<bool>();
}

}  // namespace

long long migration_lock_key(const HistoryTable& history) {
  if (history.sql_name() == HistoryTable{}.sql_name()) return kMigrationLockKey;
  // FNV-1a: the same key in every runner, whatever its build.
  unsigned long long hash = 14695981039346656037ULL;
  for (const char c : history.sql_name()) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return static_cast<long long>(hash >> 1);
}

std::string describe_migration_lock_holders(pqxx::transaction_base& tx, long long key) {
  // A bigint advisory key shows in pg_locks as classid (high half), objid (low half), objsubid 1.
  const auto rows = tx.exec_params(R"sql(
    SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, '?'),
           coalesce(host(a.client_addr), 'a local socket'),
           coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '?'),
           coalesce(a.state, '?'),
           CASE WHEN a.state = 'active' THEN
             format(' for %s s: %s', extract(epoch FROM now() - a.query_start)::bigint,
                    left(regexp_replace(a.query, '\s+', ' ', 'g'), 120))
           ELSE '' END
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295)
    ORDER BY l.pid)sql",
                                   key);
  std::string out;
  for (const auto& row : rows) {
    if (!out.empty()) out += "; ";
    out += fmt::format("pid {} (application_name `{}`, user {}, from {}, connected since {}, {}{})",
                       row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>(),
                       row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
                       row[6].as<std::string>());
  }
  return out;
}

MigrationLock::MigrationLock(pqxx::connection& connection, long long key, std::chrono::seconds wait,
                             std::ostream& out)
    : connection_(connection), key_(key) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool announced = false;
  try {
    while (!try_lock(connection_, key_)) {
      std::string holders;
      {
        pqxx::nontransaction session{connection_};
        holders = describe_migration_lock_holders(session, key_);
      }
      if (holders.empty()) holders = "a session that has just released it";
      if (std::chrono::steady_clock::now() >= deadline) {
        throw RuntimeError(fmt::format(
            "another migration runner holds the migration lock (advisory lock {}): {}; gave up "
            "after waiting {} s (raise --lock-wait to wait longer)",
            key_, holders, wait.count()));
      }
      if (!announced) {
        out << fmt::format("waiting up to {} s for the migration lock held by {}\n", wait.count(),
                           holders);
        announced = true;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("cannot take the migration lock: {}", describe_database_error(e)));
  }
}

MigrationLock::~MigrationLock() {
  try {
    pqxx::nontransaction session{connection_};
    session.exec_params("SELECT pg_advisory_unlock($1)", key_);
  } catch (const pqxx::failure&) {
    // A lost session has released the lock already.
  }
}

}  // namespace mig
