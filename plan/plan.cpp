#include "plan/plan.hpp"

#include <fmt/format.h>

#include "plan/batch_statement.hpp"

namespace mig {

std::string_view to_string(StepKind kind) {
  switch (kind) {
    case StepKind::Ddl:
      return "ddl";
    case StepKind::Data:
      return "data";
    case StepKind::Backfill:
      return "backfill";
  }
  return "?";
}

std::string_view to_string(Reversibility r) {
  switch (r) {
    case Reversibility::Reversible:
      return "reversible";
    case Reversibility::Lossy:
      return "lossy";
    case Reversibility::Irreversible:
      return "irreversible";
  }
  return "?";
}

std::string comment_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}

namespace {

std::string describe_locks(const LockFacts& lock) {
  if (lock.locks.empty()) return "no table lock";
  std::string out;
  for (const auto& l : lock.locks) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} on {}", to_string(l.mode), l.display());
  }
  if (lock.rewrites_table)
    out += "; rewrites the table";
  else if (lock.scans_table)
    out += "; scans the table";
  return comment_safe(out);
}

}  // namespace

std::string migration_stem(const PlanMigration& m) {
  return fmt::format("{:04}_{}", m.version, m.name);
}

std::string render_step_comment(const PlanStep& step, std::size_t index) {
  auto out = fmt::format("-- step {}: {}\n", index + 1, comment_safe(step.description));
  if (step.backfill)
    return out + fmt::format(
                     "-- runs in keyset batches of {0} rows on the primary key, one transaction "
                     "per batch; {1}\n"
                     "-- each batch runs the statement below: $last is the key the batch before "
                     "ended at\n"
                     "-- (the first batch has no lower bound), $next the last of the {0} keys "
                     "after it\n",
                     step.backfill->batch_size, describe_locks(step.lock));
  if (step.transaction)
    return out + fmt::format("-- runs inside transaction {}; {}\n", *step.transaction,
                             describe_locks(step.lock));
  return out + fmt::format("-- runs alone, outside a transaction; {}\n", describe_locks(step.lock));
}

std::string render_step_sql(const PlanStep& step) {
  return (step.backfill ? batch_change_sql(*step.backfill, "$last", "$next") : step.sql) + ";\n";
}

std::string render_script(const PlanMigration& m, Direction direction) {
  const bool up = direction == Direction::Up;
  std::string out = fmt::format("-- {} {}: {}\n", migration_stem(m), up ? "upgrade" : "downgrade",
                                to_string(m.reversibility));
  for (const auto& note : m.reversibility_notes)
    out += fmt::format("-- note: {}\n", comment_safe(note));
  const auto& steps = up ? m.up : m.down;
  if (!up && m.reversibility == Reversibility::Irreversible) {
    out += "-- this migration cannot be reverted\n";
    return out;
  }
  int open = 0;  // the transaction open in the script; 0: none
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    if (open && step.transaction.value_or(0) != open) {
      out += "COMMIT;\n";
      open = 0;
    }
    out += "\n" + render_step_comment(step, i);
    if (step.transaction && !open) {
      out += "BEGIN;\n";
      open = *step.transaction;
    }
    out += render_step_sql(step);
  }
  if (open) out += "COMMIT;\n";
  return out;
}

}  // namespace mig
