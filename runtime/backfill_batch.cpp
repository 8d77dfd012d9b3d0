#include "runtime/backfill_batch.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

std::string batch_key(std::size_t i) { return fmt::format("mig_key_{}", i); }

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// `(k1, k2) OP ('v1', 'v2')`: untyped literals take the key columns' types, and a row
// comparison orders like ORDER BY k1, k2, so the index can serve it.
std::string key_comparison(const BackfillSpec& spec, std::string_view op,
                           const KeyPosition& position, pqxx::transaction_base& quoting) {
  std::vector<std::string> literals;
  for (const auto& value : position) literals.push_back(quoting.quote(value));
  return fmt::format("({}) {} ({})", joined(spec.key_columns, ", "), op, joined(literals, ", "));
}

std::string where_clause(const std::vector<std::string>& conditions) {
  return conditions.empty() ? std::string() : " WHERE " + joined(conditions, " AND ");
}

}  // namespace

std::string backfill_last_key_sql(const BackfillSpec& spec, const std::optional<KeyPosition>& after,
                                  pqxx::transaction_base& quoting) {
  const auto& keys = spec.key_columns;
  std::vector<std::string> selected, last_keys, ordered_desc, conditions;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // The outer ORDER BY names the typed batch columns, qualified: bare, they would name
    // the text-cast output columns and sort "999" after "1000".
    selected.push_back(fmt::format("{} AS {}", keys[i], batch_key(i)));
    last_keys.push_back(fmt::format("mig_batch.{}::text", batch_key(i)));
    ordered_desc.push_back(fmt::format("mig_batch.{} DESC", batch_key(i)));
  }
  // The batch is a range of `batch_size` keys: finding its end reads only the primary key
  // index (the backfill's own predicate would need every row of the range from the heap);
  // the change applies the predicate, so it touches at most `batch_size` rows.
  if (after) conditions.push_back(key_comparison(spec, ">", *after, quoting));
  return fmt::format(
      "SELECT {} FROM (SELECT {} FROM {}{} ORDER BY {} LIMIT {}) AS mig_batch ORDER BY {} "
      "LIMIT 1",
      joined(last_keys, ", "), joined(selected, ", "), spec.table, where_clause(conditions),
      joined(keys, ", "), spec.batch_size, joined(ordered_desc, ", "));
}

std::string backfill_change_sql(const BackfillSpec& spec, const std::optional<KeyPosition>& after,
                                const KeyPosition& last, pqxx::transaction_base& quoting) {
  std::vector<std::string> conditions;
  if (after) conditions.push_back(key_comparison(spec, ">", *after, quoting));
  conditions.push_back(key_comparison(spec, "<=", last, quoting));
  if (!spec.where.empty()) conditions.push_back(fmt::format("({})", spec.where));
  if (spec.set_clause.empty())
    return fmt::format("DELETE FROM {}{}", spec.table, where_clause(conditions));
  return fmt::format("UPDATE {} SET {}{}", spec.table, spec.set_clause, where_clause(conditions));
}

std::string encode_position(const KeyPosition& position) { return nlohmann::json(position).dump(); }

KeyPosition decode_position(const std::string& text) {
  try {
    return nlohmann::json::parse(text).get<KeyPosition>();
  } catch (const nlohmann::json::exception&) {
    throw RuntimeError(fmt::format("history: malformed backfill position `{}`", text));
  }
}

}  // namespace mig
