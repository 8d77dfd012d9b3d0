#include "runtime/lock_holders.hpp"

#include <fmt/format.h>

#include <map>
#include <ostream>
#include <thread>

#include "runtime/blocker_watch.hpp"

namespace mig {

namespace {

using Clock = std::chrono::steady_clock;

constexpr LockMode kAllModes[] = {LockMode::AccessShare,  LockMode::RowShare,
                                  LockMode::RowExclusive, LockMode::ShareUpdateExclusive,
                                  LockMode::Share,        LockMode::ShareRowExclusive,
                                  LockMode::Exclusive,    LockMode::AccessExclusive};

// How pg_locks.mode spells a mode: ACCESS SHARE is AccessShareLock.
std::string pg_locks_mode(LockMode mode) {
  std::string name;
  bool word_start = true;
  for (char c : to_string(mode)) {
    if (c == ' ') {
      word_start = true;
      continue;
    }
    name += word_start ? c : static_cast<char>(c - 'A' + 'a');
    word_start = false;
  }
  return name + "Lock";
}

std::string mode_for_people(const std::string& pg_locks_name) {
  for (auto mode : kAllModes)
    if (pg_locks_mode(mode) == pg_locks_name) return std::string(to_string(mode));
  return pg_locks_name;
}

std::string pids_of(const std::vector<LockHolder>& holders) {
  std::string pids;
  for (const auto& holder : holders) pids += std::to_string(holder.pid) + " ";
  return pids;
}

std::string joined(const std::vector<LockHolder>& holders) {
  std::string text;
  for (const auto& holder : holders) text += (text.empty() ? "" : "; ") + holder.description;
  return text;
}

double seconds_since(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

std::vector<LockHolder> conflicting_lock_holders(pqxx::transaction_base& tx,
                                                 const std::vector<TableLock>& wanted) {
  std::vector<LockHolder> holders;
  if (wanted.empty()) return holders;
  std::string tables;
  for (const auto& lock : wanted) {
    std::string modes;
    for (auto held : kAllModes)
      if (conflicts(lock.mode, held)) modes += (modes.empty() ? "" : ",") + pg_locks_mode(held);
    tables +=
        fmt::format("{}({}, '{{{}}}'::text[])", tables.empty() ? "" : ", ",
                    tx.quote(tx.quote_name(lock.schema) + "." + tx.quote_name(lock.table)), modes);
  }
  // to_regclass looks the name up without locking the table; one that does not exist yet
  // (made by an earlier step) matches nothing.
  const auto held = fmt::format(R"sql(
    FROM (VALUES {}) AS wanted(name, modes)
    JOIN pg_locks l ON l.locktype = 'relation' AND l.granted
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.relation = to_regclass(wanted.name) AND l.mode = ANY (wanted.modes)
                   AND l.pid IS DISTINCT FROM pg_backend_pid())sql",
                                tables);
  // Mostly nobody holds one: then pg_locks alone says so, without the cost of reading
  // pg_stat_activity (a millisecond, as much as a small migration).
  if (tx.exec("SELECT" + held + " LIMIT 1").empty()) return holders;
  const auto rows = tx.exec(R"sql(
    SELECT DISTINCT l.pid, n.nspname || '.' || c.relname, l.mode, coalesce(a.state, '?'),
           coalesce(a.application_name, ''),
           extract(epoch FROM clock_timestamp() - a.xact_start)::numeric(12, 1),
           (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint,
           coalesce(a.query, ''))sql" +
                            held + R"sql(
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    ORDER BY 1, 2, 3)sql");
  for (const auto& row : rows) {
    LockHolder holder;
    const auto holds = fmt::format("holds {} on {}", mode_for_people(row[2].as<std::string>()),
                                   row[1].as<std::string>());
    if (row[0].is_null()) {
      holder.description = "a prepared transaction (pg_prepared_xacts) " + holds;
    } else {
      holder.pid = row[0].as<int>();
      if (!row[6].is_null())
        holder.transaction_age = std::chrono::milliseconds(row[6].as<long long>());
      holder.description =
          describe_session(holder.pid, row[3].as<std::string>(), row[5].as<std::string>("?"),
                           row[4].as<std::string>(), row[7].as<std::string>()) +
          " " + holds;
    }
    holders.push_back(std::move(holder));
  }
  return holders;
}

bool wait_outside_lock_queue(pqxx::connection& connection, const std::vector<TableLock>& wanted,
                             const LockLook& look, const std::string& what, std::ostream& out) {
  if (wanted.empty()) return true;
  const auto started = Clock::now();
  // Holders whose transaction's age pg_stat_activity does not show (another role's session,
  // without pg_read_all_stats) are aged from when this wait first saw them.
  std::map<int, Clock::time_point> first_seen;
  std::string announced;
  for (;;) {
    std::vector<LockHolder> long_holders;
    {
      pqxx::nontransaction session{connection};
      std::map<int, Clock::time_point> still_seen;
      for (auto& holder : conflicting_lock_holders(session, wanted)) {
        const auto seen = first_seen.try_emplace(holder.pid, Clock::now()).first->second;
        still_seen.emplace(holder.pid, seen);
        const auto age = holder.transaction_age.value_or(
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - seen));
        if (holder.pid == 0 || age >= look.short_hold) long_holders.push_back(std::move(holder));
      }
      first_seen = std::move(still_seen);
    }
    if (long_holders.empty()) {
      if (!announced.empty())
        out << fmt::format(
            "  {}: the conflicting locks are gone after {:.1f} s; asking for the lock\n", what,
            seconds_since(started));
      return true;
    }
    if (Clock::now() - started >= look.bound) {
      out << fmt::format(
          "  {}: still blocked after {:.0f} s by {}; asking for the lock anyway, under "
          "lock_timeout with retries\n",
          what, seconds_since(started), joined(long_holders));
      return false;
    }
    if (const auto pids = pids_of(long_holders); pids != announced) {
      out << fmt::format("  {}: waiting, outside the lock queue, for {}\n", what,
                         joined(long_holders));
      announced = pids;
    }
    std::this_thread::sleep_for(look.interval);
  }
}

}  // namespace mig
