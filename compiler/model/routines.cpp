#include "compiler/model/routines.hpp"

#include <algorithm>

namespace mig {

std::string Function::signature() const {
  std::string types;
  for (const auto& t : argument_types) types += (types.empty() ? "" : ", ") + t;
  std::erase(types, '"');
  return fmt::format("{}({})", name.display(), types);
}

std::string create_function_sql(const Function& f, bool or_replace) {
  return fmt::format("CREATE {}FUNCTION {}{}", or_replace ? "OR REPLACE " : "", f.name,
                     f.definition);
}

std::string Function::identity_sql() const {
  std::string types;
  for (const auto& t : argument_types) types += (types.empty() ? "" : ", ") + t;
  return fmt::format("{}({})", name, types);
}

std::string drop_function_sql(const Function& f) { return "DROP FUNCTION " + f.identity_sql(); }

std::string create_trigger_sql(const ObjectName& table, const Trigger& t) {
  return fmt::format("CREATE TRIGGER {} {} ON {}{}{} EXECUTE FUNCTION {}{}", Ident{t.name},
                     t.events, table, t.condition.empty() ? "" : " ", t.condition, t.function,
                     t.arguments);
}

bool View::reads_column(const ObjectName& table, std::string_view column) const {
  return std::find(columns_read.begin(), columns_read.end(),
                   ColumnOf{table, std::string(column)}) != columns_read.end();
}

std::string create_view_sql(const View& v, bool or_replace) {
  std::string columns;
  for (const auto& c : v.columns)
    columns += fmt::format("{}{}", columns.empty() ? " (" : ", ", Ident{c});
  if (!columns.empty()) columns += ")";
  if (v.materialized)
    return fmt::format("CREATE MATERIALIZED VIEW {}{} AS {}{}", v.name, columns, v.query,
                       v.populated ? "" : " WITH NO DATA");
  return fmt::format("CREATE {}VIEW {}{} AS {}", or_replace ? "OR REPLACE " : "", v.name, columns,
                     v.query);
}

const Index* refresh_key(const View& v) {
  for (const auto& i : v.indexes)
    if (i.unique && i.where.empty() &&
        std::all_of(i.keys.begin(), i.keys.end(), [](const IndexKey& k) { return k.column; }))
      return &i;
  return nullptr;
}

}  // namespace mig
