#include "runtime/status_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "runtime/text.hpp"

namespace mig {

namespace {

using nlohmann::json;

json optional_json(const auto& value) { return value ? json(*value) : json(nullptr); }

json row_json(const HistoryRow& row) {
  return {{"id", row.id},
          {"version", row.version},
          {"name", row.name},
          {"direction", direction_name(row.direction)},
          {"status", to_string(row.status)},
          {"checksum", row.checksum},
          {"steps_done", row.progress.steps_done},
          {"steps_total", row.steps_total},
          {"backfill_position", optional_json(row.progress.backfill_position)},
          {"step_started", optional_json(row.progress.step_started)},
          {"started_at", row.started_at},
          {"finished_at", optional_json(row.finished_at)},
          {"applied_by", row.applied_by},
          {"duration_ms", optional_json(row.duration_ms)},
          {"error", optional_json(row.error)},
          {"note", optional_json(row.note)}};
}

std::string_view readiness_name(Readiness r) {
  switch (r) {
    case Readiness::AtHead:
      return "at head";
    case Readiness::NeedsAttention:
      return "needs attention";
    case Readiness::Pending:
      return "pending";
  }
  return "?";
}

int database_version(const StatusReport& report) {
  int version = 0;
  for (const auto& s : report.migrations)
    if (is_in_database(s.state)) version = s.migration->version;
  return version;
}

bool running_now(const StatusReport& report, const MigrationStatus& s) {
  return !report.runner.empty() && s.latest && s.latest->status == AttemptStatus::Running;
}

void print_status_json(std::ostream& out, const StatusReport& report) {
  json migrations = json::array();
  for (const auto& s : report.migrations) {
    migrations.push_back(
        {{"version", s.migration->version},
         {"name", s.migration->name},
         {"state", running_now(report, s) ? std::string_view("running") : to_string(s.state)},
         {"latest_attempt", s.latest ? row_json(*s.latest) : json(nullptr)}});
  }
  out << json{{"readiness", readiness_name(readiness(report))},
              {"database_version", database_version(report)},
              {"head", report.migrations.empty() ? 0 : report.migrations.back().migration->version},
              {"migrations", migrations},
              {"problems", report.mismatches},
              {"runner", report.runner.empty() ? json(nullptr) : json(report.runner)}}
             .dump(2)
      << "\n";
}

std::string status_detail(const StatusReport& report, const MigrationStatus& s) {
  if (!s.latest) return "";
  const auto& row = *s.latest;
  if (running_now(report, s))
    return fmt::format("{} done; being {} now by {}", steps_progress(row),
                       row.direction == Direction::Up ? "applied" : "reverted", report.runner);
  std::string detail;
  switch (s.state) {
    case MigrationState::Applied:
      detail = fmt::format("{} by {}", row.finished_at.value_or(row.started_at), row.applied_by);
      break;
    case MigrationState::Pending:
      detail = fmt::format("reverted {} by {}", row.finished_at.value_or(row.started_at),
                           row.applied_by);
      break;
    case MigrationState::PartiallyApplied:
    case MigrationState::PartiallyReverted:
    case MigrationState::Failed:
      detail = fmt::format("{} done; last attempt {} at {}", steps_progress(row),
                           row.status == AttemptStatus::Running ? "was interrupted" : "failed",
                           row.started_at);
      if (row.error) detail += ": " + first_line(*row.error);
      break;
  }
  if (row.note) detail += fmt::format(" ({})", *row.note);
  return detail;
}

}  // namespace

Readiness readiness(const StatusReport& report) {
  bool pending = false;
  for (const auto& s : report.migrations) {
    if (s.state == MigrationState::Pending || running_now(report, s)) {
      pending = true;
      continue;
    }
    if (s.state != MigrationState::Applied) return Readiness::NeedsAttention;
  }
  if (!report.mismatches.empty()) return Readiness::NeedsAttention;
  return pending ? Readiness::Pending : Readiness::AtHead;
}

void print_status(std::ostream& out, const StatusReport& report, ReportFormat format) {
  if (format == ReportFormat::Json) return print_status_json(out, report);
  std::size_t width = 0;
  for (const auto& s : report.migrations)
    width = std::max(width, migration_stem(*s.migration).size());
  std::map<MigrationState, int> counts;
  for (const auto& s : report.migrations) {
    ++counts[s.state];
    out << fmt::format("{:<{}}  {:<18}  {}\n", migration_stem(*s.migration), width,
                       to_string(s.state), status_detail(report, s));
  }
  for (const auto& mismatch : report.mismatches) out << "error: " << mismatch << "\n";
  std::string summary;
  for (const auto& [state, count] : counts)
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", count, to_string(state));
  const auto total = report.migrations.size();
  out << fmt::format("{} migration{}{}{}; the database is at version {} ({})\n", total,
                     total == 1 ? "" : "s", summary.empty() ? "" : ": ", summary,
                     database_version(report), readiness_name(readiness(report)));
}

void print_history(std::ostream& out, const std::vector<HistoryRow>& rows, ReportFormat format) {
  if (format == ReportFormat::Json) {
    json all = json::array();
    for (const auto& row : rows) all.push_back(row_json(row));
    out << all.dump(2) << "\n";
    return;
  }
  if (rows.empty()) {
    out << "no migration has run on this database\n";
    return;
  }
  std::size_t width = 9;
  for (const auto& row : rows) width = std::max(width, row.name.size() + 5);
  out << fmt::format("{:>5}  {:<{}}  {:<4}  {:<7}  {:>7}  {:<23}  {:>9}  {}\n", "id", "migration",
                     width, "dir", "status", "steps", "started", "duration", "by");
  for (const auto& row : rows) {
    out << fmt::format(
        "{:>5}  {:<{}}  {:<4}  {:<7}  {:>7}  {:<23}  {:>9}  {}\n", row.id,
        fmt::format("{:04}_{}", row.version, row.name), width, direction_name(row.direction),
        to_string(row.status), fmt::format("{}/{}", row.progress.steps_done, row.steps_total),
        row.started_at, row.duration_ms ? fmt::format("{} ms", *row.duration_ms) : "-",
        row.applied_by);
    if (row.error) out << "       error: " << indented(*row.error, "       ") << "\n";
    if (row.note) out << "       note: " << *row.note << "\n";
  }
}

}  // namespace mig
