#include "runtime/fleet_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "runtime/runtime_error.hpp"
#include "runtime/text.hpp"

namespace mig {

namespace {

nlohmann::json optional_json(const std::optional<int>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_json(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

std::string version_text(const std::optional<int>& version) {
  return version ? std::to_string(*version) : std::string("?");
}

// done 198, failed 1, skipped 1: each status with its count, in order of first appearance.
std::string summary(const std::vector<TargetResult>& results) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto& result : results) {
    auto found = std::find_if(counts.begin(), counts.end(),
                              [&](const auto& count) { return count.first == result.status; });
    if (found == counts.end())
      counts.emplace_back(result.status, 1);
    else
      ++found->second;
  }
  std::string text;
  for (const auto& [status, count] : counts)
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", count, status);
  return text;
}

}  // namespace

std::string_view to_string(FleetCommand command) {
  switch (command) {
    case FleetCommand::Up:
      return "up";
    case FleetCommand::Status:
      return "status";
    case FleetCommand::Verify:
      return "verify";
    case FleetCommand::Drift:
      return "drift";
  }
  return "?";
}

void print_fleet_report(std::ostream& out, FleetCommand command,
                        const std::vector<TargetResult>& results, ReportFormat format) {
  if (format == ReportFormat::Json) {
    auto targets = nlohmann::json::array();
    for (const auto& r : results) {
      nlohmann::json entry{{"target", r.target.name},
                           {"host", r.target.host},
                           {"status", r.status},
                           {"failed", r.failed},
                           {"version", optional_json(r.version)},
                           {"failed_migration", optional_json(r.failed_migration)},
                           {"error", optional_json(r.error)},
                           {"wave", r.wave},
                           {"started_ms", r.started_ms},
                           {"finished_ms", r.finished_ms}};
      if (r.target.tenant_schema) entry["schema"] = *r.target.tenant_schema;
      if (command == FleetCommand::Up) entry["version_before"] = optional_json(r.version_before);
      if (command == FleetCommand::Drift) entry["differences"] = r.differences;
      targets.push_back(std::move(entry));
    }
    const auto failed = std::count_if(results.begin(), results.end(),
                                      [](const TargetResult& r) { return r.failed; });
    out << nlohmann::json{{"command", to_string(command)},
                          {"targets", targets},
                          {"failed", failed},
                          {"total", results.size()}}
               .dump(2)
        << "\n";
    return;
  }
  std::size_t width = 6;
  for (const auto& r : results) width = std::max(width, r.target.name.size());
  out << fmt::format("{:<{}}  {:<15}  {:<9}  {}\n", "target", width, "status", "version", "error");
  for (const auto& r : results) {
    const auto version =
        command == FleetCommand::Up && r.version_before != r.version
            ? fmt::format("{} -> {}", version_text(r.version_before), version_text(r.version))
            : version_text(r.version);
    out << fmt::format("{:<{}}  {:<15}  {:<9}  {}\n", r.target.name, width, r.status, version,
                       first_line(r.error));
  }
  out << fmt::format("{} target{}: {}\n", results.size(), results.size() == 1 ? "" : "s",
                     summary(results));
  for (const auto& r : results) {
    if (r.error.empty()) continue;
    out << fmt::format("\n{}: {}\n  {}\n", r.target.name, r.status, indented(r.error, "  "));
  }
}

std::set<std::string> unfinished_targets(const std::filesystem::path& report) {
  std::ifstream in(report);
  if (!in) throw RuntimeError(fmt::format("cannot read the report {}", report.string()));
  try {
    const auto json = nlohmann::json::parse(in);
    if (json.at("command") != "up")
      throw RuntimeError(fmt::format("{} is a report of `mig {}`, not of `mig up`", report.string(),
                                     json.at("command").get<std::string>()));
    std::set<std::string> names;
    for (const auto& target : json.at("targets"))
      if (target.at("failed").get<bool>() || target.at("status") == "skipped")
        names.insert(target.at("target").get<std::string>());
    return names;
  } catch (const nlohmann::json::exception& e) {
    throw RuntimeError(
        fmt::format("{} is not a `mig up --format json` report: {}", report.string(), e.what()));
  }
}

}  // namespace mig
