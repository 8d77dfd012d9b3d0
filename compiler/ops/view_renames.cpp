#include "compiler/ops/view_renames.hpp"

#include <algorithm>

#include "compiler/ops/routine_support.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "CREATE VIEW v AS ";

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The extents of the dotted name parts written at `at` (`"s" . t`: two).
std::vector<std::pair<std::size_t, std::size_t>> name_parts_at(const std::string& text,
                                                               std::size_t at) {
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  auto skip_blanks = [&] {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  };
  while (at < text.size()) {
    const auto start = at;
    if (text[at] == '"') {
      for (++at; at < text.size(); ++at)
        if (text[at] == '"') {
          if (at + 1 < text.size() && text[at + 1] == '"')
            ++at;
          else
            break;
        }
      ++at;
    } else {
      while (at < text.size() && name_char(text[at])) ++at;
    }
    parts.emplace_back(start, at);
    skip_blanks();
    if (at >= text.size() || text[at] != '.') break;
    ++at;
    skip_blanks();
  }
  return parts;
}

struct Edit {
  std::size_t begin, end;
  std::string text;
};

std::string applied(std::string text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const auto& e : edits) text.replace(e.begin, e.end - e.begin, e.text);
  return text;
}

std::size_t offset(const json& node) {
  return static_cast<std::size_t>(node.value("location", 0)) - kPrefix.size();
}

const json* query_tree(const View& view) {
  const auto* tree = tree_of(parse_in_context(kPrefix, view.query, ""));
  return tree ? &tree->at("ViewStmt").at("query") : nullptr;
}

ObjectName range_var_name(const json& range_var) {
  const auto schema = range_var.value("schemaname", "");
  return {schema.empty() ? "public" : schema, range_var.value("relname", "")};
}

void rename_table_in(View& view, const ObjectName& table, const ObjectName& renamed, int version) {
  const auto* tree = query_tree(view);
  if (!tree) return;
  std::vector<Edit> edits;
  bool unaliased = false;  // then the old name qualifies columns, as PostgreSQL renames them
  for (const auto* range_var : nodes_named(*tree, "RangeVar")) {
    if (range_var_name(*range_var) != table) continue;
    unaliased |= !range_var->contains("alias");
    const auto parts = name_parts_at(view.query, offset(*range_var));
    edits.push_back({parts.front().first, parts.back().second, fmt::format("{}", renamed)});
  }
  for (const auto* ref : nodes_named(*tree, "ColumnRef")) {
    const auto parts = column_ref_parts(*ref);
    if (parts.size() == 3 && ObjectName{parts[0], parts[1]} == table)
      view.stale = fmt::format(
          "migration {} renamed table `{}`, which the view names with its "
          "schema in a column reference",
          version, table.display());
    if (parts.size() == 2 && unaliased && parts[0] == table.name) {
      const auto first = name_parts_at(view.query, offset(*ref)).front();
      edits.push_back({first.first, first.second, fmt::format("{}", Ident{renamed.name})});
    }
  }
  view.query = applied(view.query, std::move(edits));
  for (auto& r : view.reads)
    if (r == table) r = renamed;
  for (auto& c : view.columns_read)
    if (c.table == table) c.table = renamed;
}

// The table a column reference names, or nullopt when it is not one mig can tell.
class ColumnResolver {
 public:
  ColumnResolver(const SchemaModel& model, const View& view, const json& tree) : model_(model) {
    reads_ = view.reads;
    for (const auto* range_var : nodes_named(tree, "RangeVar")) {
      const auto* alias = range_var->contains("alias") ? &(*range_var)["alias"] : nullptr;
      aliases_[alias ? alias->value("aliasname", "") : range_var->value("relname", "")] =
          range_var_name(*range_var);
    }
  }
  // The tables the reference may be a column of.
  std::vector<ObjectName> candidates(const std::vector<std::string>& parts) const {
    if (parts.size() == 3) return {ObjectName{parts[0], parts[1]}};
    if (parts.size() == 2) {
      const auto it = aliases_.find(parts[0]);
      return it == aliases_.end() ? std::vector<ObjectName>{} : std::vector{it->second};
    }
    std::vector<ObjectName> out;
    for (const auto& name : reads_)
      if (const auto* t = model_.find_table(name); t && t->find_column(parts.back()))
        out.push_back(name);
    return out;
  }

 private:
  const SchemaModel& model_;
  std::vector<ObjectName> reads_;
  std::map<std::string, ObjectName> aliases_;
};

void rename_column_in(View& view, const SchemaModel& model, const ObjectName& table,
                      std::string_view column, std::string_view new_name, int version) {
  const auto* tree = query_tree(view);
  if (!tree) return;
  const auto stale = fmt::format(
      "migration {} renamed column `{}` of table `{}`, which the view reads in a way mig does "
      "not rewrite (a subquery, a common table expression, a set operation or an ambiguous "
      "name)",
      version, column, table.display());
  const auto& select = (*tree)["SelectStmt"];
  const bool nested = !nodes_named(*tree, "RangeSubselect").empty() ||
                      !nodes_named(*tree, "SubLink").empty() ||
                      !nodes_named(*tree, "CommonTableExpr").empty() || select.contains("larg");
  // The references that name an output column by themselves keep naming it the old way.
  std::vector<std::size_t> unnamed_outputs;
  for (const auto& target : select.value("targetList", json::array())) {
    const auto& res = target["ResTarget"];
    if (!res.contains("name") && res["val"].contains("ColumnRef"))
      unnamed_outputs.push_back(offset(res["val"]["ColumnRef"]));
  }
  const ColumnResolver resolver(model, view, *tree);
  std::vector<Edit> edits;
  for (const auto* ref : nodes_named(*tree, "ColumnRef")) {
    const auto parts = column_ref_parts(*ref);
    if (parts.back() != column) continue;
    const auto candidates = resolver.candidates(parts);
    if (std::find(candidates.begin(), candidates.end(), table) == candidates.end()) continue;
    if (nested || candidates.size() > 1) {
      view.stale = stale;
      return;
    }
    const auto at = offset(*ref);
    const auto last = name_parts_at(view.query, at).back();
    const bool output =
        std::find(unnamed_outputs.begin(), unnamed_outputs.end(), at) != unnamed_outputs.end();
    edits.push_back(
        {last.first, last.second,
         fmt::format("{}{}", Ident{new_name}, output ? fmt::format(" AS {}", Ident{column}) : "")});
  }
  view.query = applied(view.query, std::move(edits));
  for (auto& c : view.columns_read)
    if (c.table == table && c.column == column) c.column = new_name;
}

}  // namespace

void follow_table_rename(SchemaModel& model, const ObjectName& table, const ObjectName& renamed,
                         int version) {
  model.edit_views([&](View& v) {
    if (std::find(v.reads.begin(), v.reads.end(), table) != v.reads.end())
      rename_table_in(v, table, renamed, version);
  });
}

void follow_column_rename(SchemaModel& model, const ObjectName& table, std::string_view column,
                          std::string_view new_name, int version) {
  const SchemaModel& before = model;
  model.edit_views([&](View& v) {
    if (v.reads_column(table, column))
      rename_column_in(v, before, table, column, new_name, version);
  });
}

}  // namespace mig
