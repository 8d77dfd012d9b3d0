#pragma once

// PostgreSQL's table-level lock modes and which of them conflict: the one place the
// planner, lint and the runtime's lock policy learn it from.
// (https://www.postgresql.org/docs/current/explicit-locking.html, Table 13.2)

#include <optional>
#include <string_view>

namespace mig {

// Weakest to strongest.
enum class LockMode {
  AccessShare,           // SELECT
  RowShare,              // SELECT FOR UPDATE; the referenced table of a new foreign key
  RowExclusive,          // INSERT, UPDATE, DELETE
  ShareUpdateExclusive,  // CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, VACUUM
  Share,                 // CREATE INDEX
  ShareRowExclusive,     // ADD FOREIGN KEY, CREATE TRIGGER
  Exclusive,             // REFRESH MATERIALIZED VIEW CONCURRENTLY
  AccessExclusive,       // most ALTER TABLE, DROP, TRUNCATE, VACUUM FULL, CLUSTER
};

bool conflicts(LockMode, LockMode);
// Waits for, and makes wait, plain reads (SELECT).
inline bool blocks_reads(LockMode m) { return conflicts(m, LockMode::AccessShare); }
// Waits for, and makes wait, INSERT, UPDATE and DELETE.
inline bool blocks_writes(LockMode m) { return conflicts(m, LockMode::RowExclusive); }

std::string_view to_string(LockMode);  // "ACCESS EXCLUSIVE"
std::optional<LockMode> lock_mode_named(std::string_view);

}  // namespace mig
