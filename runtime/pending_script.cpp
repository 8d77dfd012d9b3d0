#include "runtime/pending_script.hpp"

#include <fmt/format.h>

#include "runtime/backfill_batch.hpp"
#include "runtime/lock_policy.hpp"
#include "runtime/step_groups.hpp"

namespace mig {

std::string pending_script(const std::vector<UpTarget>& targets, int database_version,
                           std::chrono::milliseconds lock_timeout,
                           std::chrono::milliseconds statement_timeout) {
  if (targets.empty())
    return fmt::format("-- nothing to apply; the database is at version {}\n", database_version);
  auto out = fmt::format(
      "-- mig up on this database now: {} migration{} after version {}; each group of steps "
      "records its\n-- progress in mig.history in its own transaction (not shown)\n"
      "SET statement_timeout = {};\n",
      targets.size(), targets.size() == 1 ? "" : "s", database_version, statement_timeout.count());
  // mig sets the session's lock_timeout to 0 while it reads its history.
  auto session_lock_timeout = std::chrono::milliseconds(0);
  for (const auto& target : targets) {
    const auto& m = *target.status->migration;
    const auto& resume = target.resume;
    const auto first = static_cast<std::size_t>(resume.steps_done);
    out += fmt::format("\n-- {} upgrade: {}", migration_stem(m), to_string(m.reversibility));
    if (target.status->state == MigrationState::PartiallyApplied)
      out += fmt::format("; resumes at step {} of {}", first + 1, m.up.size());
    out += "\n";
    for (const auto& group : step_groups(m.up, first)) {
      const bool backfill = group.kind == StepGroup::Kind::Backfill;
      // A batch waiting for a row lock holds the row locks it has taken: always the short one.
      const auto wanted = backfill || blocks_traffic_while_waiting(m.up, group.first, group.end)
                              ? lock_timeout
                              : std::chrono::milliseconds(0);
      if (wanted != session_lock_timeout) {
        out += fmt::format("\nSET lock_timeout = {};\n", wanted.count());
        session_lock_timeout = wanted;
      }
      for (auto i = group.first; i < group.end; ++i) {
        out += "\n" + render_step_comment(m.up[i], i);
        if (i == first && resume.step_started == static_cast<int>(i + 1))
          out +=
              "-- the interrupted attempt had sent it: an index it finished is kept, an INVALID "
              "one is dropped before the build\n";
        if (backfill && i == first && resume.backfill_position)
          out += fmt::format("-- resumes after key ({}): the first batch's $last\n",
                             fmt::join(decode_position(*resume.backfill_position), ", "));
        if (group.kind == StepGroup::Kind::Transaction && i == group.first) out += "BEGIN;\n";
        out += render_step_sql(m.up[i]);
      }
      if (group.kind == StepGroup::Kind::Transaction) out += "COMMIT;\n";
    }
  }
  return out;
}

}  // namespace mig
