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

}  // namespace

std::string backfill_batch_sql(const BackfillSpec& spec, const std::optional<KeyPosition>& after,
                               pqxx::transaction_base& quoting) {
  const auto& keys = spec.key_columns;
  std::vector<std::string> selected, ordered_desc, target_keys, batch_keys, last_keys, conditions;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Batch columns get their own names so the set clause and where can use the table's
    // column names unqualified without ambiguity. The final ORDER BY qualifies them: bare,
    // they would name the text-cast output columns and sort "999" after "1000".
    selected.push_back(fmt::format("{} AS {}", keys[i], batch_key(i)));
    ordered_desc.push_back("mig_batch." + batch_key(i) + " DESC");
    target_keys.push_back(fmt::format("{}.{}", spec.table, keys[i]));
    batch_keys.push_back("mig_batch." + batch_key(i));
    last_keys.push_back(batch_key(i) + "::text");
  }
  if (after) {
    std::vector<std::string> literals;
    for (const auto& value : *after) literals.push_back(quoting.quote(value));
    // Untyped literals take the key columns' types; a row comparison orders like ORDER BY.
    conditions.push_back(fmt::format("({}) > ({})", joined(keys, ", "), joined(literals, ", ")));
  }
  if (!spec.where.empty()) conditions.push_back(fmt::format("({})", spec.where));
  const auto where = conditions.empty() ? std::string() : " WHERE " + joined(conditions, " AND ");
  const auto match =
      fmt::format("({}) = ({})", joined(target_keys, ", "), joined(batch_keys, ", "));
  const auto change =
      spec.set_clause.empty()
          ? fmt::format("DELETE FROM {} USING mig_batch WHERE {} RETURNING 1", spec.table, match)
          : fmt::format("UPDATE {} SET {} FROM mig_batch WHERE {} RETURNING 1", spec.table,
                        spec.set_clause, match);
  return fmt::format(
      "WITH mig_batch AS (SELECT {} FROM {}{} ORDER BY {} LIMIT {}), mig_changed AS ({}) "
      "SELECT {}, (SELECT count(*) FROM mig_changed) FROM mig_batch ORDER BY {} LIMIT 1",
      joined(selected, ", "), spec.table, where, joined(keys, ", "), spec.batch_size, change,
      joined(last_keys, ", "), joined(ordered_desc, ", "));
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
