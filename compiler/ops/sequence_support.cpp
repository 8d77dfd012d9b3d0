#include "compiler/ops/sequence_support.hpp"

#include <charconv>
#include <limits>

#include "compiler/ops/op_support.hpp"

namespace mig {

namespace {

struct Bounds {
  std::int64_t min;
  std::int64_t max;
};

Bounds type_bounds(std::string_view type) {
  if (type == "smallint")
    return {std::numeric_limits<std::int16_t>::min(), std::numeric_limits<std::int16_t>::max()};
  if (type == "integer")
    return {std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()};
  return {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
}

bool ascending(const Sequence& s) { return s.increment.value_or(1) > 0; }

// MINVALUE and MAXVALUE as PostgreSQL sets them when not written.
Bounds bounds(const Sequence& s) {
  const auto type = type_bounds(s.type);
  return {s.minvalue.value_or(ascending(s) ? 1 : type.min),
          s.maxvalue.value_or(ascending(s) ? type.max : -1)};
}

std::int64_t start_of(const Sequence& s) {
  return s.start.value_or(ascending(s) ? bounds(s).min : bounds(s).max);
}

std::optional<std::string> type_of(std::string_view written) {
  if (written == "smallint" || written == "int2") return "smallint";
  if (written == "integer" || written == "int" || written == "int4") return "integer";
  if (written == "bigint" || written == "int8") return "bigint";
  return std::nullopt;
}

// Why PostgreSQL would refuse the options, or nullopt.
std::optional<std::string> refusal(const Sequence& s) {
  const auto type = type_bounds(s.type);
  const auto [min, max] = bounds(s);
  const auto type_name = s.type.empty() ? "bigint" : s.type;
  if (s.increment == 0) return "`increment` must not be zero";
  if (min < type.min || min > type.max)
    return fmt::format("`minvalue` {} is out of range for type {}", min, type_name);
  if (max < type.min || max > type.max)
    return fmt::format("`maxvalue` {} is out of range for type {}", max, type_name);
  if (min >= max) return fmt::format("`minvalue` ({}) must be less than `maxvalue` ({})", min, max);
  if (start_of(s) < min || start_of(s) > max)
    return fmt::format("`start` ({}) must be between `minvalue` ({}) and `maxvalue` ({})",
                       start_of(s), min, max);
  if (s.cache && *s.cache < 1) return fmt::format("`cache` ({}) must be at least 1", *s.cache);
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> sequence_number(const Number& n, CheckContext& ctx) {
  std::string_view digits = n.digits;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc() && end == digits.data() + digits.size()) return value;
  ctx.error(n.span, fmt::format("`{}` does not fit a sequence's 64-bit integers", n.digits));
  return std::nullopt;
}

bool apply_sequence_options(const SchemaModel& model, const ast::SequenceOptions& o, Sequence& s,
                            Span statement, CheckContext& ctx) {
  const int errors = ctx.errors();
  auto number = [&](const std::optional<Number>& n, std::optional<std::int64_t>& field) {
    if (n) field = sequence_number(*n, ctx);
  };
  if (o.type) {
    if (auto type = type_of(o.type->value))
      s.type = *type;
    else
      ctx.error(
          o.type->span,
          fmt::format("a sequence is `smallint`, `integer` or `bigint`, not `{}`", o.type->value));
  }
  number(o.increment, s.increment);
  if (o.minvalue) {
    s.minvalue.reset();
    number(*o.minvalue, s.minvalue);
  }
  if (o.maxvalue) {
    s.maxvalue.reset();
    number(*o.maxvalue, s.maxvalue);
  }
  number(o.start, s.start);
  number(o.cache, s.cache);
  if (o.cycle) s.cycle = *o.cycle;
  if (o.owned_by) {
    s.owned_by.reset();
    if (const auto& owner = *o.owned_by) {
      const auto* table = require_table(model, owner->table, ctx);
      if (table && require_column(*table, owner->column, ctx)) {
        if (table->name.schema != s.name.schema)
          ctx.error(owner->table.span,
                    fmt::format("sequence `{}` can only be owned by a table of schema `{}`",
                                s.name.display(), s.name.schema));
        s.owned_by = ColumnOf{table->name, owner->column.value};
      }
    }
  }
  if (ctx.errors() != errors) return false;
  if (auto why = refusal(s)) {
    ctx.error(statement, *why);
    return false;
  }
  return true;
}

std::optional<std::int64_t> restart_value(const Sequence& s, const Number& value,
                                          CheckContext& ctx) {
  const auto n = sequence_number(value, ctx);
  if (!n) return std::nullopt;
  const auto [min, max] = bounds(s);
  if (*n >= min && *n <= max) return n;
  ctx.error(value.span, fmt::format("`restart with {}` is outside the sequence's `minvalue` ({}) "
                                    "and `maxvalue` ({})",
                                    *n, min, max));
  return std::nullopt;
}

std::string sequence_clauses(const Sequence& s, const ast::SequenceOptions& written) {
  std::string out;
  auto add = [&](std::string clause) { out += (out.empty() ? "" : " ") + clause; };
  if (written.increment) add(fmt::format("INCREMENT BY {}", s.increment.value_or(1)));
  if (written.minvalue)
    add(s.minvalue ? fmt::format("MINVALUE {}", *s.minvalue) : std::string("NO MINVALUE"));
  if (written.maxvalue)
    add(s.maxvalue ? fmt::format("MAXVALUE {}", *s.maxvalue) : std::string("NO MAXVALUE"));
  if (written.start) add(fmt::format("START WITH {}", start_of(s)));
  if (written.cache) add(fmt::format("CACHE {}", s.cache.value_or(1)));
  if (written.cycle) add(s.cycle ? "CYCLE" : "NO CYCLE");
  if (written.owned_by)
    add(s.owned_by ? fmt::format("OWNED BY {}.{}", s.owned_by->table, Ident{s.owned_by->column})
                   : std::string("OWNED BY NONE"));
  return out;
}

// A sequence that is not a `create sequence` one: why it cannot be named here, or empty.
std::string column_sequence_help(const SchemaModel& model, const ObjectName& name) {
  if (const auto* t = model.table_of_column_sequence(name))
    for (const auto& c : t->columns)
      if (c.sequence == name.name)
        return fmt::format(
            "it is the sequence of {} column `{}.{}`, which PostgreSQL manages "
            "with the column",
            c.identity == Identity::None ? "serial" : "identity", t->name.display(), c.name);
  return "";
}

std::vector<PlanStep> create_owned_sequences(const std::vector<const Sequence*>& sequences) {
  std::vector<PlanStep> steps;
  for (const auto* s : sequences) {
    steps.push_back(
        step(fmt::format("create sequence {}", s->name.display()), create_sequence_sql(*s)));
    const auto target = object_ref("sequence", s->name);
    add_comment_step(steps, target, s->comment);
    append(steps, grant_steps(target.sql, target.display, s->grants));
  }
  return steps;
}

std::vector<PlanStep> own_sequences(const std::vector<const Sequence*>& sequences) {
  std::vector<PlanStep> steps;
  for (const auto* s : sequences)
    steps.push_back(step(fmt::format("sequence {} owned by {}.{}", s->name.display(),
                                     s->owned_by->table.display(), s->owned_by->column),
                         sequence_owner_sql(s->name, s->owned_by)));
  return steps;
}

bool require_owned_sequences_unused(const SchemaModel& model,
                                    const std::vector<const Sequence*>& sequences,
                                    const ObjectName& table, std::optional<std::string_view> column,
                                    Span span, CheckContext& ctx) {
  bool unused = true;
  for (const auto* s : sequences)
    for (const auto& [user, user_column] : model.defaults_using(s->name)) {
      if (user->name == table && (!column || user_column->name == *column)) continue;
      ctx.error(span,
                fmt::format("sequence `{}`, owned by `{}.{}`, would be dropped with it, but the "
                            "default of column `{}.{}` uses it",
                            s->name.display(), s->owned_by->table.display(), s->owned_by->column,
                            user->name.display(), user_column->name),
                fmt::format("change that default first, or `alter sequence {} owned by none`",
                            s->name.display()));
      unused = false;
    }
  return unused;
}

}  // namespace mig
