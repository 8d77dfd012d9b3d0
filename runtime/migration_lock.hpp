#pragma once

#include <chrono>
#include <iosfwd>
#include <pqxx/pqxx>
#include <string>

#include "runtime/history_table.hpp"

namespace mig {

// The advisory lock key of the migration lock: "mig" in ASCII.
constexpr long long kMigrationLockKey = 0x6d6967;

// One lock per history: kMigrationLockKey for mig.history, and for a tenant's own history
// a key of its own, so tenants of one database migrate side by side.
long long migration_lock_key(const HistoryTable&);

// One runner at a time. A session-level advisory lock held by the very session that runs
// the steps and records them: the lock lives exactly as long as that session, so a runner
// can do no work without it. A session that ends (a killed runner, a terminated backend, a
// connection dropped by a proxy) releases it only once its last statement has ended on the
// server, and libpqxx's silent reconnection is inhibited (runtime/database_connection.hpp),
// so the runner cannot go on in a new session either.
// Taken by polling pg_try_advisory_lock: a blocking pg_advisory_lock, or a lock tied to a
// transaction, would make the holder's CREATE INDEX CONCURRENTLY wait for the waiter, a
// deadlock.
class MigrationLock {
 public:
  // Polls for up to `wait` (zero: a single try) and throws RuntimeError naming the holder
  // when it gives up. Says once on `out` that it is waiting.
  MigrationLock(pqxx::connection&, long long key, std::chrono::seconds wait, std::ostream& out);
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection& connection_;
  long long key_;
};

// Who holds the migration lock: pid, application_name, user, client, since when, and what
// it is running; empty when nobody does.
std::string describe_migration_lock_holders(pqxx::transaction_base&,
                                            long long key = kMigrationLockKey);

}  // namespace mig
