#include "runtime/fleet_targets.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <fstream>
#include <memory>
#include <regex>
#include <set>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") + 1 - first);
}

// host:port as libpq reads them from the URL and the environment (PGHOST, PGPORT, the
// default socket directory), so two spellings of one server count as one host.
std::string host_of(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (!options) {
    const std::string message = error ? trimmed(error) : "not a connection string";
    PQfreemem(error);
    throw RuntimeError(fmt::format("target `{}`: {}", url, message));
  }
  std::string host, port;
  for (auto* option = options.get(); option->keyword; ++option) {
    const std::string keyword = option->keyword;
    if (keyword == "host" && option->val) host = option->val;
    if (keyword == "hostaddr" && option->val && host.empty()) host = option->val;
    if (keyword == "port" && option->val) port = option->val;
  }
  if (host.empty()) host = std::getenv("PGHOST") ? std::getenv("PGHOST") : "localhost";
  if (port.empty()) port = std::getenv("PGPORT") ? std::getenv("PGPORT") : "5432";
  return host + ":" + port;
}

std::string without_password(const std::string& url) {
  static const std::regex password(R"(^(postgres(?:ql)?://[^:@/]*):[^@/]*@)");
  return std::regex_replace(url, password, "$1@");
}

}  // namespace

std::vector<std::string> read_target_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw RuntimeError(fmt::format("cannot read the targets file {}", path.string()));
  std::vector<std::string> lines;
  std::set<std::string> seen;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trimmed(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (!seen.insert(line).second)
      throw RuntimeError(fmt::format("{}:{}: `{}` is listed twice", path.string(), number,
                                     without_password(line)));
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> query_target_lines(const std::string& catalog_url,
                                            const std::string& sql) {
  const auto connection = connect_to_database(catalog_url);
  std::vector<std::string> lines;
  try {
    pqxx::read_transaction tx{*connection};
    const auto rows = tx.exec(sql);
    if (rows.columns() < 1) throw RuntimeError("--targets-query: the query returns no column");
    for (const auto& row : rows) {
      if (row[0].is_null()) throw RuntimeError("--targets-query: a row's first column is null");
      lines.push_back(row[0].as<std::string>());
    }
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("--targets-query failed in the catalog database: {}",
                                   describe_database_error(e)));
  }
  const std::set<std::string> distinct(lines.begin(), lines.end());
  if (distinct.size() != lines.size())
    throw RuntimeError("--targets-query: the query returns a target more than once");
  return lines;
}

std::vector<FleetTarget> database_targets(const std::vector<std::string>& urls) {
  std::vector<FleetTarget> targets;
  for (const auto& url : urls)
    targets.push_back({without_password(url), url, std::nullopt, host_of(url)});
  return targets;
}

std::vector<FleetTarget> tenant_schema_targets(const std::string& url,
                                               const std::vector<std::string>& schemas) {
  const auto host = host_of(url);
  std::vector<FleetTarget> targets;
  for (const auto& schema : schemas) targets.push_back({schema, url, schema, host});
  return targets;
}

}  // namespace mig
