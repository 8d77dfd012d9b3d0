#include "runtime/backfill_batch.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "plan/batch_statement.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

std::string key_literals(const KeyPosition& position, pqxx::transaction_base& quoting) {
  std::string literals;
  for (const auto& value : position)
    literals += (literals.empty() ? "" : ", ") + quoting.quote(value);
  return literals;
}

std::string batch_key(std::size_t i) { return fmt::format("mig_key_{}", i); }

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// `(k1, k2) OP ('v1', 'v2')`; `quoting` only escapes the values.
std::string key_comparison(const BackfillSpec& spec, std::string_view op,
                           const KeyPosition& position, pqxx::transaction_base& quoting) {
  return key_comparison(spec, op, key_literals(position, quoting));
}

}  // namespace

std::string backfill_last_key_sql(const BackfillSpec& spec, const std::optional<KeyPosition>& after,
                                  pqxx::transaction_base& quoting) {
  const auto& keys = spec.key_columns;
  std::vector<std::string> selected, batch_keys, ordered_desc, as_text;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    selected.push_back(fmt::format("{} AS {}", keys[i], batch_key(i)));
    batch_keys.push_back(fmt::format("mig_batch.{}", batch_key(i)));
    ordered_desc.push_back(fmt::format("mig_batch.{} DESC", batch_key(i)));
    as_text.push_back(fmt::format("mig_last.{}::text", batch_key(i)));
  }
  // The batch is a range of `batch_size` keys: finding its end reads only the primary key
  // index (the backfill's own predicate would need every row of the range from the heap);
  // the change applies the predicate, so it touches at most `batch_size` rows. The keys
  // are sorted typed and only the last is cast to text: casting all of them cost more than
  // the rest of the query.
  const auto where = after ? " WHERE " + key_comparison(spec, ">", *after, quoting) : "";
  return fmt::format(
      "SELECT {} FROM (SELECT {} FROM (SELECT {} FROM {}{} ORDER BY {} LIMIT {}) AS mig_batch "
      "ORDER BY {} LIMIT 1) AS mig_last",
      joined(as_text, ", "), joined(batch_keys, ", "), joined(selected, ", "), spec.table, where,
      joined(keys, ", "), spec.batch_size, joined(ordered_desc, ", "));
}

std::string backfill_change_sql(const BackfillSpec& spec, const std::optional<KeyPosition>& after,
                                const KeyPosition& last, pqxx::transaction_base& quoting) {
  std::optional<std::string> lower_bound;
  if (after) lower_bound = key_literals(*after, quoting);
  return batch_change_sql(spec, lower_bound, key_literals(last, quoting));
}

std::string backfill_estimate_sql(const BackfillSpec& spec, pqxx::transaction_base& quoting) {
  return fmt::format("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass({})",
                     quoting.quote(spec.table));
}

std::string backfill_keys_through_sql(const BackfillSpec& spec, const KeyPosition& position,
                                      pqxx::transaction_base& quoting) {
  return fmt::format("EXPLAIN (FORMAT JSON) SELECT FROM {} WHERE {}", spec.table,
                     key_comparison(spec, "<=", position, quoting));
}

long long planned_rows(const std::string& explain_json) {
  try {
    return nlohmann::json::parse(explain_json).at(0).at("Plan").at("Plan Rows").get<long long>();
  } catch (const nlohmann::json::exception&) {
    throw RuntimeError(fmt::format("unexpected EXPLAIN output: {}", explain_json));
  }
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
