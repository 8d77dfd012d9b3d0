#include "compiler/lint/lint_support.hpp"

#include <cctype>
#include <set>

namespace mig {

namespace {

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::string written(std::string_view name) {
  bool bare = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front()));
  for (char c : name) bare &= word_char(c) && c != '$' && lower(c) == c;
  return bare ? std::string(name) : quote_ident(name);
}

std::string written(const ObjectName& table) {
  return table.schema == "public" ? written(table.name)
                                  : written(table.schema) + "." + written(table.name);
}

std::optional<std::size_t> after_keyword(std::string_view text, Span span, std::string_view word) {
  const auto slice = text.substr(span.begin, span.end - span.begin);
  for (std::size_t i = 0; i + word.size() <= slice.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < word.size() && match; ++j) match = lower(slice[i + j]) == word[j];
    if (!match || (i > 0 && word_char(slice[i - 1])) ||
        (i + word.size() < slice.size() && word_char(slice[i + word.size()])))
      continue;
    return span.begin + i + word.size();
  }
  return std::nullopt;
}

Span span_of_name(const LintContext& ctx, const PlannedStatement& s, std::string_view name) {
  const auto text = ctx.text(s.what.span);
  for (std::size_t at = 0; at + name.size() <= text.size(); ++at) {
    bool match = true;
    for (std::size_t j = 0; j < name.size() && match; ++j)
      match = lower(text[at + j]) == lower(name[j]);
    const auto end = at + name.size();
    if (!match || (at > 0 && word_char(text[at - 1])) ||
        (end < text.size() && word_char(text[end])))
      continue;
    const bool quoted = at > 0 && text[at - 1] == '"' && end < text.size() && text[end] == '"';
    return quoted ? Span{s.what.span.begin + at - 1, s.what.span.begin + end + 1}
                  : Span{s.what.span.begin + at, s.what.span.begin + end};
  }
  return s.what.span;
}

bool changes_column_type(const PlannedStatement& s, const ObjectName& table) {
  bool changes = false;
  each<ColumnTypeChanged>(s, [&](const ColumnTypeChanged& e) { changes |= e.table == table; });
  return changes;
}

bool set_not_null_scans(const LintContext& ctx, const PlannedStatement& s, const NotNullSet& e) {
  if (!e.scans) return false;
  std::set<std::string> proving;  // names of valid checks proving the column
  std::set<std::string> pending;  // ... added `not valid`, not yet validated
  for (const auto& earlier : ctx.migration.statements) {
    if (&earlier == &s) break;
    for (const auto& effect : earlier.what.effects) {
      if (const auto* a = std::get_if<ConstraintAdded>(&effect);
          a && a->table == e.table && a->proves_not_null == e.column)
        (a->validated ? proving : pending).insert(a->name);
      if (const auto* v = std::get_if<ConstraintValidated>(&effect);
          v && v->table == e.table && (v->proves_not_null == e.column || pending.count(v->name)))
        proving.insert(v->name);
      if (const auto* d = std::get_if<ConstraintDropped>(&effect); d && d->table == e.table) {
        proving.erase(d->name);
        pending.erase(d->name);
      }
    }
  }
  return proving.empty();
}

std::optional<ObjectName> table_of_dropped(const LintContext& ctx, const PlannedStatement& s,
                                           const IndexDropped& e) {
  if (e.table) return e.table;
  std::optional<ObjectName> table;
  for (const auto& earlier : ctx.migration.statements) {
    if (&earlier == &s) break;
    each<IndexBuilt>(earlier, [&](const IndexBuilt& built) {
      if (built.index == e.index) table = built.table;
    });
  }
  return table;
}

std::size_t line_of(const LintContext& ctx, std::size_t offset) {
  return ctx.migration.source->position(offset).line;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string column_list(const std::vector<std::string>& columns) {
  return "(" + join(columns, ", ") + ")";
}

}  // namespace mig
