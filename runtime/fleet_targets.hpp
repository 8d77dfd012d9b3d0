#pragma once

// The databases (or tenant schemas) a fleet command runs against: listed in a file, or
// returned by a query against a catalog database.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mig {

struct FleetTarget {
  std::string name;  // how reports name it: the URL without its password, or the schema
  std::string url;
  std::optional<std::string> tenant_schema;  // schema-per-tenant: the schema in `url`
  std::string host;                          // host:port, for the per-host limit
};

// Each non-empty line of a file without its `#` comment, trimmed. Throws RuntimeError
// naming the file when it cannot be read, and file:line for a line given twice.
std::vector<std::string> read_target_lines(const std::filesystem::path&);
// The first column of each row the query returns, as text. Throws RuntimeError.
std::vector<std::string> query_target_lines(const std::string& catalog_url, const std::string& sql);

// Database-per-tenant: each entry is a database URL.
std::vector<FleetTarget> database_targets(const std::vector<std::string>& urls);
// Schema-per-tenant: each entry is a schema of the one database at `url`.
std::vector<FleetTarget> tenant_schema_targets(const std::string& url,
                                               const std::vector<std::string>& schemas);

}  // namespace mig
