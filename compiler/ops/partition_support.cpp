#include "compiler/ops/partition_support.hpp"

#include <algorithm>
#include <set>

#include "compiler/ops/op_support.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

void add_partitions(const SchemaModel& model, const ObjectName& parent,
                    std::vector<const Table*>& out) {
  for (const auto* p : model.partitions_of(parent)) {
    out.push_back(p);
    add_partitions(model, p->name, out);
  }
}

// How many columns or expressions the key has.
std::size_t key_length(const Partitioning& partitioning) {
  const auto* json = tree_of(parse_in_context(
      fmt::format("CREATE TABLE t (c int) PARTITION BY {} ", to_sql(partitioning.strategy)),
      partitioning.key, ""));
  const auto* params = json ? find_node(*json, "partParams") : nullptr;
  return params ? params->size() : 0;
}

std::string_view bound_form(PartitionStrategy strategy) {
  switch (strategy) {
    case PartitionStrategy::Range:
      return "`for values from (...) to (...)` or `default`";
    case PartitionStrategy::List:
      return "`for values in (...)` or `default`";
    case PartitionStrategy::Hash:
      return "`for values with (modulus N, remainder R)`";
  }
  return "";
}

std::string_view strategy_word(PartitionStrategy strategy) {
  switch (strategy) {
    case PartitionStrategy::Range:
      return "range";
    case PartitionStrategy::List:
      return "list";
    case PartitionStrategy::Hash:
      return "hash";
  }
  return "";
}

}  // namespace

std::vector<const Table*> partition_tree(const SchemaModel& model, const ObjectName& parent) {
  std::vector<const Table*> out;
  add_partitions(model, parent, out);
  return out;
}

namespace {

bool same_index(const Index& a, const Index& b) {
  const auto key_sql = [](const Index& i) {
    std::vector<std::string> out;
    for (const auto& k : i.keys) out.push_back(k.sql);
    return out;
  };
  return a.unique == b.unique && a.method == b.method && key_sql(a) == key_sql(b) &&
         a.where == b.where && a.include == b.include &&
         a.nulls_not_distinct == b.nulls_not_distinct;
}

// The name PostgreSQL gives an index column (FigureIndexColname): the column's, a function's
// for a call (`lower(email)`: `lower`), the column's for a cast, else `expr`.
std::string index_column_name(const IndexKey& key) {
  if (key.column) return *key.column;
  std::string_view sql = key.sql;
  while (!sql.empty() && (sql.front() == '(' || sql.front() == ' ')) sql.remove_prefix(1);
  std::size_t end = 0;
  while (end < sql.size() &&
         (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_' || sql[end] == '.'))
    ++end;
  auto rest = sql.substr(end);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (end == 0 || !(rest.starts_with("(") || rest.starts_with("::"))) return "expr";
  auto name = std::string(sql.substr(0, end));
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name.erase(0, dot + 1);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// PostgreSQL's ChooseIndexColumnNames joined: `a_b`, `lower`, `expr`.
std::string index_name_addition(const Index& i) {
  std::vector<std::string> names;
  for (const auto& k : i.keys) names.push_back(index_column_name(k));
  for (const auto& c : i.include) names.push_back(c);
  return fmt::format("{}", fmt::join(names, "_"));
}

}  // namespace

PartitionCopies missing_copies(const SchemaModel& model, const Table& parent, const Table& table) {
  PartitionCopies copies;
  std::set<std::string> chosen;
  const auto name = [&](std::string_view addition, std::string_view label) {
    auto n =
        model.choose_relation_name(table.name.schema, table.name.name, addition, label, chosen);
    chosen.insert(n);
    return n;
  };
  for (const auto& i : parent.indexes)
    if (std::none_of(table.indexes.begin(), table.indexes.end(),
                     [&](const Index& own) { return same_index(i, own); })) {
      auto copy = i;
      copy.name = name(index_name_addition(i), "idx");
      copies.indexes.push_back(std::move(copy));
    }
  for (const auto& c : parent.constraints) {
    const bool primary = c.kind == ConstraintKind::PrimaryKey;
    if (!primary && c.kind != ConstraintKind::Unique) continue;
    if (std::any_of(table.constraints.begin(), table.constraints.end(), [&](const Constraint& own) {
          return own.kind == c.kind && own.columns == c.columns;
        }))
      continue;
    auto copy = c;
    copy.name =
        primary ? name("", "pkey") : name(fmt::format("{}", fmt::join(c.columns, "_")), "key");
    copies.constraints.push_back(std::move(copy));
  }
  return copies;
}

const Table* require_partitioned(const SchemaModel& model, const TableRef& ref, CheckContext& ctx) {
  const auto* table = require_table(model, ref, ctx);
  if (table && !table->partitioning) {
    ctx.error(ref.span, fmt::format("table `{}` is not partitioned", ref.name.display()),
              "only a table created with `partition by range|list|hash (...)` has partitions");
    return nullptr;
  }
  return table;
}

bool require_fitting_bound(const SchemaModel& model, const Table& parent,
                           const PartitionBound& bound, const ObjectName& partition,
                           CheckContext& ctx) {
  const auto strategy = parent.partitioning->strategy;
  const auto wrong_form = [&] {
    ctx.error(bound.span,
              fmt::format("table `{}` is partitioned by {}: its partitions take {}",
                          parent.name.display(), strategy_word(strategy), bound_form(strategy)));
    return false;
  };
  if (bound.tree.value("is_default", false)) {
    if (strategy == PartitionStrategy::Hash) return wrong_form();
    for (const auto* other : model.partitions_of(parent.name))
      if (other->name != partition && other->partition_of->bound == "DEFAULT") {
        ctx.error(bound.span, fmt::format("table `{}` already has a default partition, `{}`",
                                          parent.name.display(), other->name.display()));
        return false;
      }
    return true;
  }
  const auto written = bound.tree.value("strategy", "");
  const char expected = strategy == PartitionStrategy::Range  ? 'r'
                        : strategy == PartitionStrategy::List ? 'l'
                                                              : 'h';
  if (written.size() != 1 || written[0] != expected) return wrong_form();
  if (strategy == PartitionStrategy::Range) {
    const auto length = key_length(*parent.partitioning);
    const auto lower = bound.tree.value("lowerdatums", nlohmann::json::array()).size();
    const auto upper = bound.tree.value("upperdatums", nlohmann::json::array()).size();
    if (lower != length || upper != length) {
      ctx.error(bound.span,
                fmt::format("the partition key of `{}` has {} column{}: each bound takes {} "
                            "value{}",
                            parent.name.display(), length, length == 1 ? "" : "s", length,
                            length == 1 ? "" : "s"));
      return false;
    }
  }
  return true;
}

bool require_valid_partition_key(const Table& table, const PartitionKeySpec& spec,
                                 CheckContext& ctx) {
  const auto* partspec = find_node(*spec.key.tree, "partspec");
  const auto params =
      partspec ? partspec->value("partParams", nlohmann::json::array()) : nlohmann::json::array();
  bool ok = true;
  for (const auto& p : params) {
    const auto& element = p["PartitionElem"];
    const auto columns = element.contains("name")
                             ? std::vector{element["name"].get<std::string>()}
                             : column_refs(element.value("expr", nlohmann::json::object()));
    for (const auto& column : columns)
      if (!table.find_column(column)) {
        ctx.error(spec.key.span, fmt::format("the partition key names column `{}`, which table "
                                             "`{}` does not have",
                                             column, table.name.display()));
        ok = false;
      }
  }
  const auto length = params.size();
  if (spec.strategy == PartitionStrategy::List && length != 1) {
    ctx.error(spec.key.span, "a list partition key is one column or expression");
    ok = false;
  }
  for (const auto& c : table.constraints) {
    if (!ok) break;  // a key that names no column of the table says enough
    if (c.kind != ConstraintKind::PrimaryKey && c.kind != ConstraintKind::Unique) continue;
    const bool covers =
        !spec.columns.empty() &&
        std::all_of(spec.columns.begin(), spec.columns.end(), [&](const std::string& k) {
          return std::find(c.columns.begin(), c.columns.end(), k) != c.columns.end();
        });
    if (!covers) {
      ctx.error(spec.key.span,
                fmt::format("{} `{}` of a partitioned table must include every column of the "
                            "partition key (and the key must be plain columns)",
                            c.kind == ConstraintKind::PrimaryKey ? "primary key"
                                                                 : "unique "
                                                                   "constraint",
                            c.name),
                "PostgreSQL enforces uniqueness partition by partition");
      ok = false;
    }
  }
  return ok;
}

Partitioning partitioning_from(const PartitionKeySpec& spec) {
  return {spec.strategy, spec.key.text, spec.columns};
}

PlanStep attach_partition_step(const ObjectName& parent, const ObjectName& partition,
                               const std::string& bound) {
  return step(fmt::format("attach partition {} to {}", partition.display(), parent.display()),
              alter_table_sql(parent, fmt::format("ATTACH PARTITION {} {}", partition, bound)));
}

PlanStep detach_partition_step(const ObjectName& parent, const ObjectName& partition,
                               bool concurrently) {
  return step(fmt::format("detach partition {} from {}{}", partition.display(), parent.display(),
                          concurrently ? " concurrently" : ""),
              alter_table_sql(parent, fmt::format("DETACH PARTITION {}{}", partition,
                                                  concurrently ? " CONCURRENTLY" : "")));
}

}  // namespace mig
