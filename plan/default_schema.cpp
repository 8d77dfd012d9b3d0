#include "plan/default_schema.hpp"

#include <cctype>

#include "plan/quote.hpp"

namespace mig {

namespace {

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The end of the token starting at `i` that must be copied unchanged (a literal, a
// dollar-quoted body, a comment), or `i` when none starts there.
std::size_t end_of_opaque(std::string_view sql, std::size_t i) {
  const auto n = sql.size();
  if (sql.compare(i, 2, "--") == 0) {
    const auto end = sql.find('\n', i);
    return end == std::string_view::npos ? n : end;
  }
  if (sql.compare(i, 2, "/*") == 0) {
    int depth = 0;
    auto j = i;
    while (j + 1 < n) {
      if (sql.compare(j, 2, "/*") == 0) {
        ++depth;
        j += 2;
      } else if (sql.compare(j, 2, "*/") == 0) {
        j += 2;
        if (--depth == 0) return j;
      } else {
        ++j;
      }
    }
    return n;
  }
  if (sql[i] == '\'') {
    const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                         (i < 2 || !is_identifier_char(sql[i - 2]));
    for (auto j = i + 1; j < n; ++j) {
      if (escapes && sql[j] == '\\')
        ++j;
      else if (sql[j] == '\'' && j + 1 < n && sql[j + 1] == '\'')
        ++j;
      else if (sql[j] == '\'')
        return j + 1;
    }
    return n;
  }
  if (sql[i] == '$' && (i == 0 || !is_identifier_char(sql[i - 1]))) {
    auto j = i + 1;
    if (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) return i;  // $1
    while (j < n && is_identifier_char(sql[j])) ++j;
    if (j >= n || sql[j] != '$') return i;
    const auto tag = sql.substr(i, j + 1 - i);
    const auto close = sql.find(tag, j + 1);
    return close == std::string_view::npos ? n : close + tag.size();
  }
  return i;
}

std::size_t end_of_quoted_identifier(std::string_view sql, std::size_t i) {
  for (auto j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != '"') continue;
    if (j + 1 < sql.size() && sql[j + 1] == '"') {
      ++j;
      continue;
    }
    return j + 1;
  }
  return sql.size();
}

void requalify_all(std::string& sql, const std::string& from, std::string_view to) {
  sql = requalify(sql, from, to);
}

}  // namespace

std::string requalify(std::string_view sql, std::string_view from, std::string_view to) {
  const auto quoted_from = quote_ident(from);
  const auto quoted_to = quote_ident(to);
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    if (const auto end = end_of_opaque(sql, i); end != i) {
      out += sql.substr(i, end - i);
      i = end;
    } else if (sql[i] == '"') {
      const auto end = end_of_quoted_identifier(sql, i);
      const auto identifier = sql.substr(i, end - i);
      auto next = end;
      while (next < sql.size() && std::isspace(static_cast<unsigned char>(sql[next]))) ++next;
      const bool qualifies = next < sql.size() && sql[next] == '.';
      out += qualifies && identifier == quoted_from ? std::string_view(quoted_to) : identifier;
      i = end;
    } else {
      out += sql[i++];
    }
  }
  return out;
}

std::string redisplay(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts_name = i == 0 || !is_identifier_char(text[i - 1]);
    if (starts_name && text.compare(i, from.size(), from) == 0 && i + from.size() < text.size() &&
        text[i + from.size()] == '.') {
      out += to;
      i += from.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

Plan place_default_schema(const Plan& plan, std::string_view schema) {
  Plan placed = plan;
  placed.default_schema = schema;
  for (auto& migration : placed.migrations) {
    for (auto* steps : {&migration.up, &migration.down}) {
      for (auto& step : *steps) {
        requalify_all(step.sql, plan.default_schema, schema);
        step.description = redisplay(step.description, plan.default_schema, schema);
        for (auto& lock : step.lock.locks)
          if (lock.schema == plan.default_schema) lock.schema = schema;
        if (!step.backfill) continue;
        auto& backfill = *step.backfill;
        requalify_all(backfill.table, plan.default_schema, schema);
        requalify_all(backfill.set_clause, plan.default_schema, schema);
        requalify_all(backfill.where, plan.default_schema, schema);
      }
    }
  }
  return placed;
}

}  // namespace mig
