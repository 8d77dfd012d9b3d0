#pragma once

#include <chrono>
#include <iosfwd>
#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace mig {

// The advisory lock key of the migration lock: "mig" in ASCII.
constexpr long long kMigrationLockKey = 0x6d6967;

// One runner at a time. A session-level advisory lock held on a dedicated connection and
// taken by polling pg_try_advisory_lock: a blocking pg_advisory_lock, or a lock tied to a
// transaction, would make CREATE INDEX CONCURRENTLY wait for that session and deadlock.
class MigrationLock {
 public:
  // Polls for up to `wait` (zero: a single try) and throws RuntimeError naming the holder
  // when it gives up. Says once on `out` that it is waiting.
  MigrationLock(const std::string& database_url, std::chrono::seconds wait, std::ostream& out);
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  std::unique_ptr<pqxx::connection> connection_;
};

// Who holds the migration lock: pid, application_name, user, client, since when; empty
// when nobody does.
std::string describe_migration_lock_holders(pqxx::transaction_base&);

}  // namespace mig
