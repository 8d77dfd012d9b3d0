#include "compiler/ops/op_support.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/ops/routine_support.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace {

using nlohmann::json;

constexpr std::size_t kPrefix = std::string_view("CREATE VIEW v AS ").size();

// How many columns the query gives: stars are refused, so the target list says it.
std::size_t output_columns(const json& view_stmt) {
  const json* select = &view_stmt["query"]["SelectStmt"];
  while (select->contains("larg")) select = &(*select)["larg"]["SelectStmt"];
  return select->value("targetList", json::array()).size();
}

// The names of the query's output columns, as PostgreSQL names them: the alias, a column's
// or a function's name, the column list written after the view's name first; empty where
// mig cannot tell.
std::vector<std::string> output_names(const json& view_stmt,
                                      const std::vector<std::string>& written) {
  const json* select = &view_stmt["query"]["SelectStmt"];
  while (select->contains("larg")) select = &(*select)["larg"]["SelectStmt"];
  std::vector<std::string> names;
  for (const auto& target : select->value("targetList", json::array())) {
    const auto& res = target["ResTarget"];
    std::string name;
    if (res.contains("name")) {
      name = res["name"].get<std::string>();
    } else if (const auto& val = res["val"]; val.contains("ColumnRef")) {
      name = column_ref_parts(val["ColumnRef"]).back();
    } else if (val.contains("FuncCall")) {
      name = val["FuncCall"]["funcname"].back()["String"].value("sval", "");
    }
    names.push_back(name);
  }
  for (std::size_t i = 0; i < written.size() && i < names.size(); ++i) names[i] = written[i];
  return names;
}

class CreateViewOp final : public Operation {
 public:
  CreateViewOp(View view, bool or_replace, std::size_t columns)
      : view_(std::move(view)), or_replace_(or_replace), columns_(columns) {}
  std::string describe() const override {
    return fmt::format("{} {}view {}", or_replace_ ? "create or replace" : "create",
                       view_.materialized ? "materialized " : "", view_.name.display());
  }
  void apply(SchemaModel& model, int) const override { model.put_view(view_); }
  std::vector<PlanStep> up(const SchemaModel&) const override {
    return {step(describe(), create_view_sql(view_, or_replace_))};
  }
  // A replaced view gets its previous definition back: in place when it had as many
  // columns (CREATE OR REPLACE cannot drop columns), else dropped and created again.
  std::vector<PlanStep> down(const SchemaModel& before) const override {
    const auto drop = drop_view_step(view_);
    const auto* previous = before.find_view(view_.name);
    if (!previous || view_.materialized) return {drop};
    const auto description = fmt::format("restore view {} as migration {} defined it",
                                         view_.name.display(), previous->version);
    if (previous_columns(*previous) == columns_)
      return {step(description, create_view_sql(*previous, true))};
    std::vector<PlanStep> steps{drop};
    append(steps, create_view_steps(*previous, description));
    return steps;
  }

  static std::size_t previous_columns(const View& v) {
    const auto* tree = tree_of(parse_in_context("CREATE VIEW v AS ", v.query, ""));
    return tree ? output_columns(tree->at("ViewStmt")) : 0;
  }

 private:
  View view_;
  bool or_replace_;
  std::size_t columns_;
};

class ViewReader {
 public:
  ViewReader(const SchemaModel& model, const SqlFragment& query, CheckContext& ctx)
      : model_(model), query_(query), ctx_(ctx) {}

  // Fills the tables, views and columns the query reads; reports stars and relations or
  // columns the model does not have.
  void read(View& view) {
    const auto& tree = query_.tree->at("ViewStmt").at("query");
    std::vector<std::string> ctes;
    for (const auto* cte : nodes_named(tree, "CommonTableExpr"))
      ctes.push_back(cte->value("ctename", ""));
    for (const auto* range_var : nodes_named(tree, "RangeVar")) {
      const auto schema = range_var->value("schemaname", "");
      const auto relname = range_var->value("relname", "");
      if (schema.empty() && std::find(ctes.begin(), ctes.end(), relname) != ctes.end()) continue;
      const ObjectName name{schema.empty() ? "public" : schema, relname};
      if (!model_.find_table(name) && !model_.find_view(name)) {
        error_at(*range_var, fmt::format("table or view `{}` does not exist", name.display()));
        continue;
      }
      if (std::find(view.reads.begin(), view.reads.end(), name) == view.reads.end())
        view.reads.push_back(name);
      const auto* alias = range_var->contains("alias") ? &(*range_var)["alias"] : nullptr;
      aliases_[alias ? alias->value("aliasname", "") : relname] = name;
    }
    for (const auto* ref : nodes_named(tree, "ColumnRef")) read_column(*ref, view);
  }

 private:
  void error_at(const json& node, std::string message, std::string help = {}) {
    const auto at = query_.span.begin + (node.value("location", 0) - kPrefix);
    ctx_.error({at, at + 1}, std::move(message), std::move(help));
  }

  void note(View& view, const ObjectName& table, const std::string& column) {
    const ColumnOf read{table, column};
    if (std::find(view.columns_read.begin(), view.columns_read.end(), read) ==
        view.columns_read.end())
      view.columns_read.push_back(read);
  }

  void read_column(const json& ref, View& view) {
    const auto parts = column_ref_parts(ref);
    const auto& column = parts.back();
    if (column == "*") {
      error_at(ref,
               "a view's `*` is expanded by PostgreSQL when the view is created, so re-creating "
               "the view from its text in a downgrade could give other columns",
               "name the columns the view selects");
      return;
    }
    if (parts.size() == 1) {  // every table read that has the column
      for (const auto& name : view.reads)
        if (const auto* t = model_.find_table(name); t && t->find_column(column))
          note(view, name, column);
      return;
    }
    const auto qualifier = parts[parts.size() - 2];
    const auto found =
        parts.size() == 3
            ? std::optional(ObjectName{parts[0], parts[1]})
            : (aliases_.contains(qualifier) ? std::optional(aliases_[qualifier]) : std::nullopt);
    if (!found) return;  // a subquery's or function's columns
    if (const auto* t = model_.find_table(*found)) {
      if (!t->find_column(column)) {
        error_at(ref, fmt::format("table `{}` has no column `{}`", t->name.display(), column));
        return;
      }
    }
    note(view, *found, column);
  }

  const SchemaModel& model_;
  const SqlFragment& query_;
  CheckContext& ctx_;
  std::map<std::string, ObjectName> aliases_;
};

}  // namespace

OperationPtr resolve(const ast::CreateView& written, const SchemaModel& before, CheckContext& ctx) {
  if (!written.query.tree) return nullptr;  // reported by the parser
  const auto& name = written.view.name;
  if (!before.schema_exists(name.schema)) {
    ctx.error(written.view.span, fmt::format("schema `{}` does not exist", name.schema));
    return nullptr;
  }
  const auto* previous = before.find_view(name);
  if (previous && !written.or_replace) {
    ctx.error(written.view.span, fmt::format("view `{}` already exists", name.display()),
              "write `create or replace view` to change its definition");
    return nullptr;
  }
  if (!previous && before.relation_exists(name)) {
    ctx.error(written.view.span,
              fmt::format("`{}` is already the name of a table or index", name.display()));
    return nullptr;
  }
  if (previous && !previous->stale.empty()) {
    ctx.error(written.view.span,
              fmt::format("the downgrade must restore view `{}`, whose definition mig could not "
                          "follow: {}",
                          name.display(), previous->stale),
              "drop the view before the rename and create it again after it");
    return nullptr;
  }
  if (previous && previous->materialized != written.materialized) {
    ctx.error(written.view.span,
              fmt::format("`{}` is a {}view", name.display(),
                          previous->materialized ? "materialized " : ""),
              previous->materialized ? "drop the materialized view first" : "drop the view first");
    return nullptr;
  }
  View view;
  view.name = name;
  view.query = written.query.text;
  view.version = ctx.version();
  view.materialized = written.materialized;
  view.populated = !written.with_no_data;
  for (const auto& c : written.columns) view.columns.push_back(c.value);
  const int errors = ctx.errors();
  ViewReader(before, written.query, ctx).read(view);
  if (ctx.errors() != errors) return nullptr;
  const auto columns = output_columns(written.query.tree->at("ViewStmt"));
  if (previous && !previous->materialized) {
    const auto* was = tree_of(parse_in_context("CREATE VIEW v AS ", previous->query, ""));
    const auto old_names =
        was ? output_names(was->at("ViewStmt"), previous->columns) : std::vector<std::string>{};
    const auto new_names = output_names(written.query.tree->at("ViewStmt"), view.columns);
    for (std::size_t i = 0; i < old_names.size(); ++i) {
      const auto now = i < new_names.size() ? new_names[i] : std::string();
      if (old_names[i].empty() || (i < new_names.size() && now.empty()) || now == old_names[i])
        continue;
      ctx.error(written.query.span,
                i < new_names.size()
                    ? fmt::format("column {} of view `{}` is `{}`, and `create or replace` "
                                  "cannot rename it to `{}`",
                                  i + 1, name.display(), old_names[i], now)
                    : fmt::format("`create or replace` cannot drop column `{}` of view `{}`",
                                  old_names[i], name.display()),
                fmt::format("PostgreSQL keeps a view's columns and adds new ones at the end: "
                            "write `... as {}`, or drop the view and create it again",
                            old_names[i]));
      return nullptr;
    }
  }
  if (previous && CreateViewOp::previous_columns(*previous) != columns)
    for (const auto* reader : before.views_reading(name)) {
      ctx.error(written.view.span,
                fmt::format("view `{}` gets another number of columns, so its downgrade must drop "
                            "and re-create it, which view `{}` reading it prevents",
                            name.display(), reader->name.display()),
                "keep the view's columns and add new ones in another view");
      return nullptr;
    }
  return std::make_unique<CreateViewOp>(std::move(view), written.or_replace, columns);
}

}  // namespace mig
