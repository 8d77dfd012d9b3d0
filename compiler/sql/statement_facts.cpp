#include "compiler/sql/statement_facts.hpp"

#include "compiler/sql/pg_parser.hpp"

namespace mig {

using nlohmann::json;

std::string range_var_name(const json& range_var) {
  return range_var.value("schemaname", std::string("public")) + "." +
         range_var.value("relname", std::string());
}

namespace {

void lock(StatementFacts& f, const json& node, const char* range_var_key, const char* mode,
          bool scans = false) {
  if (const auto* rv = node.contains(range_var_key) ? &node[range_var_key] : nullptr)
    f.lock.locks.push_back({range_var_name(*rv), mode});
  f.lock.scans_table |= scans;
}

}  // namespace

StatementFacts statement_facts(const json& statement) {
  StatementFacts f;
  if (!statement.is_object() || statement.empty()) return f;
  const auto first = statement.begin();
  const std::string type = first.key();
  const json& node = first.value();
  if (type == "IndexStmt") {
    const bool concurrent = node.value("concurrent", false);
    f.transactional = !concurrent;
    lock(f, node, "relation", concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE", true);
  } else if (type == "DropStmt") {
    const bool concurrent = node.value("concurrent", false);
    f.transactional = !concurrent;
    if (node.value("removeType", "") == "OBJECT_TABLE")
      for (const auto& object : node.value("objects", json::array())) {
        std::vector<std::string> parts;
        for (const auto& p : object.value("List", json::object()).value("items", json::array()))
          parts.push_back(p["String"].value("sval", ""));
        if (!parts.empty())
          f.lock.locks.push_back(
              {(parts.size() > 1 ? parts[0] : "public") + "." + parts.back(), "ACCESS EXCLUSIVE"});
      }
  } else if (type == "ReindexStmt") {
    for (const auto& p : node.value("params", json::array()))
      if (p.value("DefElem", json::object()).value("defname", "") == "concurrently")
        f.transactional = false;
    lock(f, node, "relation", f.transactional ? "SHARE" : "SHARE UPDATE EXCLUSIVE", true);
  } else if (type == "VacuumStmt") {
    f.transactional = !node.value("is_vacuumcmd", false);
  } else if (type == "CreatedbStmt" || type == "DropdbStmt" || type == "AlterSystemStmt" ||
             type == "CreateTableSpaceStmt" || type == "DropTableSpaceStmt") {
    f.transactional = false;
  } else if (type == "AlterTableStmt") {
    lock(f, node, "relation", "ACCESS EXCLUSIVE");
  } else if (type == "RenameStmt") {
    lock(f, node, "relation", "ACCESS EXCLUSIVE");
  } else if (type == "UpdateStmt" || type == "DeleteStmt") {
    f.kind = StepKind::Data;
    lock(f, node, "relation", "ROW EXCLUSIVE", true);
  } else if (type == "InsertStmt" || type == "MergeStmt") {
    f.kind = StepKind::Data;
    lock(f, node, "relation", "ROW EXCLUSIVE");
  } else if (type == "CopyStmt" || type == "SelectStmt") {
    f.kind = StepKind::Data;
  }
  return f;
}

}  // namespace mig
