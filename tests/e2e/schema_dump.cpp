#include "tests/e2e/schema_dump.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace mig::test {

namespace {

std::string run_command(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buffer;
  while (auto n = fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
  return out;
}

std::string pg_dump_path() {
  const std::filesystem::path debian = "/usr/lib/postgresql/15/bin/pg_dump";
  return std::filesystem::exists(debian) ? debian.string() : "pg_dump";
}

}  // namespace

std::string schema_dump(const std::string& url) {
  const auto dump = run_command(fmt::format(
      "{} --schema-only --no-owner --exclude-schema=mig '{}' 2>&1", pg_dump_path(), url));
  std::istringstream in(dump);
  std::string line, out;
  std::vector<std::string> columns;
  bool in_table = false;
  while (std::getline(in, line)) {
    // Comments, session settings and the random key of \restrict change from dump to dump.
    if (line.starts_with("--") || line.starts_with("SET ") ||
        line.starts_with("SELECT pg_catalog") || line.starts_with("\\restrict") ||
        line.starts_with("\\unrestrict"))
      continue;
    if (in_table && line == ");") {
      std::sort(columns.begin(), columns.end());
      for (const auto& c : columns) out += c + "\n";
      columns.clear();
      in_table = false;
    }
    if (in_table) {
      if (line.ends_with(",")) line.pop_back();
      columns.push_back(line);
      continue;
    }
    if (line.starts_with("CREATE TABLE ") || line.starts_with("CREATE UNLOGGED TABLE "))
      in_table = true;
    if (!line.empty()) out += line + "\n";
  }
  return out;
}

}  // namespace mig::test
