#include "runtime/table_statistics.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

TableSizes read_table_sizes(const std::string& url, const std::vector<TableName>& tables) {
  TableSizes sizes;
  if (tables.empty()) return sizes;
  auto wanted = nlohmann::json::array();
  for (const auto& [schema, table] : tables) wanted.push_back({{"s", schema}, {"t", table}});
  const auto connection = connect_to_database(url);
  try {
    pqxx::read_transaction tx{*connection};
    // reltuples is -1 before the first VACUUM or ANALYZE (PostgreSQL 14 and later).
    for (const auto& row : tx.exec_params(
             "SELECT n.nspname, c.relname, CASE WHEN c.reltuples >= 0 THEN c.reltuples END, "
             "greatest(c.relpages::bigint * current_setting('block_size')::bigint, "
             "pg_relation_size(c.oid)), "
             "pg_total_relation_size(c.oid) - pg_relation_size(c.oid) "
             "FROM json_to_recordset($1::json) AS w(s text, t text) "
             "JOIN pg_namespace n ON n.nspname = w.s "
             "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.t "
             "AND c.relkind IN ('r', 'm')",
             wanted.dump())) {
      TableSize size;
      if (!row[2].is_null()) size.rows = row[2].as<double>();
      size.heap_bytes = row[3].as<long long>();
      size.total_bytes = size.heap_bytes + row[4].as<long long>();
      sizes[{row[0].as<std::string>(), row[1].as<std::string>()}] = size;
    }
  } catch (const pqxx::failure& e) {
    throw RuntimeError(fmt::format("cannot read table sizes: {}", describe_database_error(e)));
  }
  return sizes;
}

}  // namespace mig
