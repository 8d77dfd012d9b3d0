#include "runtime/live_schema.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace mig {

namespace {

// A schema of the user's: not PostgreSQL's own, not mig's history.
constexpr const char* kUserSchema =
    "{0}.nspname <> 'mig' AND {0}.nspname <> 'information_schema' AND {0}.nspname !~ '^pg_'";

std::string user_schema(const char* alias) { return fmt::format(kUserSchema, alias); }

// Whether the object depends on another with `deptype` in pg_depend.
std::string depends(const char* catalog, const char* oid, char deptype) {
  return fmt::format(
      "EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{}'::regclass AND e.objid = {} "
      "AND e.deptype = '{}')",
      catalog, oid, deptype);
}

// Not brought by an extension (those come back with `create extension`).
std::string not_in_extension(const char* catalog, const char* oid) {
  return "NOT " + depends(catalog, oid, 'e');
}

// Part of another object, made and dropped with it: an identity column's sequence, a range
// type's constructor functions.
std::string internal(const char* catalog, const char* oid) { return depends(catalog, oid, 'i'); }

// The user's own functions (`p` of pg_proc, `n` its schema).
std::string user_functions() {
  return "p.prokind = 'f' AND NOT " + internal("pg_proc", "p.oid") + " AND " + user_schema("n") +
         " AND " + not_in_extension("pg_proc", "p.oid");
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

std::vector<std::string> json_strings(const pqxx::field& field) {
  if (field.is_null()) return {};
  return nlohmann::json::parse(field.as<std::string>()).get<std::vector<std::string>>();
}

// The privileges of ACL `acl` but those of `owner`, as a JSON object by grantee.
std::string grants_of(const char* acl, const char* owner) {
  return fmt::format(
      "(SELECT json_agg(json_build_array(g.grantee, g.privileges) ORDER BY g.position) FROM "
      "(SELECT CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee) END AS "
      "grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS privileges, "
      "min(a.position) AS position FROM aclexplode({}) WITH ORDINALITY AS a(grantor, grantee, "
      "privilege_type, is_grantable, position) WHERE a.grantee <> {} AND NOT a.is_grantable "
      "GROUP BY 1) g)",
      acl, owner);
}

// The sequences that columns own the way `serial` makes them (see LiveColumn::serial): seq,
// rel, attnum.
constexpr const char* kSerialSequences =
    "SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid AS attnum FROM pg_depend d "
    "JOIN pg_class s ON s.oid = d.objid JOIN pg_sequence q ON q.seqrelid = s.oid "
    "JOIN pg_class t ON t.oid = d.refobjid "
    "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
    "JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
    "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
    "AND d.deptype = 'a' AND a.attidentity = '' AND a.attnotnull AND q.seqtypid = a.atttypid "
    "AND pg_get_expr(ad.adbin, ad.adrelid) = format('nextval(%L::regclass)', s.oid::regclass) "
    "AND s.relnamespace = t.relnamespace AND s.relname = t.relname || '_' || a.attname || '_seq' "
    "AND q.seqstart = 1 AND q.seqincrement = 1 AND q.seqmin = 1 AND q.seqcache = 1 "
    "AND NOT q.seqcycle AND q.seqmax = CASE a.atttypid WHEN 'int2'::regtype THEN 32767 "
    "WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END";

// A sequence's type and options, as JSON, for LiveSequence.
constexpr const char* kSequenceOptions =
    "json_build_array(format_type(q.seqtypid, NULL), q.seqstart::text, q.seqincrement::text, "
    "q.seqmin::text, q.seqmax::text, q.seqcache::text, q.seqcycle)";

LiveSequence sequence_of(LiveName name, const nlohmann::json& o) {
  return {std::move(name),
          o[0].get<std::string>(),
          o[1].get<std::string>(),
          o[2].get<std::string>(),
          o[3].get<std::string>(),
          o[4].get<std::string>(),
          o[5].get<std::string>(),
          o[6].get<bool>(),
          std::nullopt,
          std::nullopt};
}

// A JSON array of [name, value] pairs, as from json_agg(json_build_array(...)).
std::vector<std::pair<std::string, std::string>> json_pairs(const pqxx::field& field) {
  if (field.is_null()) return {};
  return nlohmann::json::parse(field.as<std::string>())
      .get<std::vector<std::pair<std::string, std::string>>>();
}

// The names of attribute numbers `numbers` of relation `relation`, in order, as JSON.
std::string column_names(const char* relation, const char* numbers) {
  return fmt::format(
      "(SELECT json_agg(a.attname ORDER BY k.i) FROM unnest({1}) WITH ORDINALITY k(n, i) "
      "JOIN pg_attribute a ON a.attrelid = {0} AND a.attnum = k.n)",
      relation, numbers);
}

std::vector<LiveColumn> read_columns(pqxx::work& tx, const std::string& oid) {
  std::vector<LiveColumn> columns;
  for (const auto& row : tx.exec_params(
           "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
           "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
           "EXISTS (SELECT 1 FROM (" +
               std::string(kSerialSequences) +
               ") z WHERE z.rel = a.attrelid AND z.attnum = a.attnum), "
               "CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(collname) FROM "
               "pg_collation WHERE oid = a.attcollation) END, col_description(a.attrelid, "
               "a.attnum), "
               "(SELECT json_build_array(n.nspname, s.relname, " +
               kSequenceOptions +
               ") FROM pg_depend d JOIN pg_class s ON s.oid = d.objid JOIN pg_namespace n ON n.oid "
               "= "
               "s.relnamespace JOIN pg_sequence q ON q.seqrelid = s.oid WHERE d.classid = "
               "'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND "
               "d.deptype = 'i') "
               "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
               "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
               "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY "
               "a.attnum",
           oid)) {
    LiveColumn column;
    column.name = row[0].as<std::string>();
    column.type = row[1].as<std::string>();
    column.not_null = row[2].as<bool>();
    column.default_expression = optional_text(row[3]);
    const auto identity = row[4].as<std::string>();
    column.identity = identity.empty() ? 0 : identity[0];
    column.generated_stored = row[5].as<std::string>() == "s";
    column.serial = row[6].as<bool>();
    column.collation = optional_text(row[7]);
    column.comment = optional_text(row[8]);
    if (!row[9].is_null()) {
      const auto sequence = nlohmann::json::parse(row[9].as<std::string>());
      column.identity_sequence = sequence_of(
          {sequence[0].get<std::string>(), sequence[1].get<std::string>()}, sequence[2]);
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<LiveConstraint> read_constraints(pqxx::work& tx, const std::string& oid) {
  std::vector<LiveConstraint> constraints;
  for (const auto& row : tx.exec_params(
           "SELECT co.conname, co.contype, " + column_names("co.conrelid", "co.conkey") +
               ", fn.nspname, fc.relname, " + column_names("co.confrelid", "co.confkey") +
               ", co.confdeltype, co.confupdtype, co.confmatchtype, co.condeferrable, "
               "co.convalidated, co.connoinherit, pg_get_expr(co.conbin, co.conrelid), "
               "pg_get_constraintdef(co.oid), obj_description(co.oid, 'pg_constraint'), " +
               column_names("co.conrelid", "co.confdelsetcols") +
               " FROM pg_constraint co LEFT JOIN pg_class fc ON fc.oid = co.confrelid "
               "LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
               "WHERE co.conrelid = $1::oid AND co.contype IN ('p', 'u', 'c', 'f', 'x') "
               "AND co.conislocal AND co.conparentid = 0 "
               "ORDER BY co.contype DESC, co.conname",
           oid)) {
    LiveConstraint constraint;
    constraint.name = row[0].as<std::string>();
    constraint.kind = row[1].as<std::string>()[0];
    constraint.columns = json_strings(row[2]);
    if (!row[3].is_null())
      constraint.referenced_table = LiveName{row[3].as<std::string>(), row[4].as<std::string>()};
    constraint.referenced_columns = json_strings(row[5]);
    constraint.on_delete = row[6].as<std::string>()[0];
    constraint.on_update = row[7].as<std::string>()[0];
    constraint.match = row[8].as<std::string>()[0];
    constraint.deferrable = row[9].as<bool>();
    constraint.validated = row[10].as<bool>();
    constraint.no_inherit = row[11].as<bool>();
    constraint.check_expression = row[12].is_null() ? "" : row[12].as<std::string>();
    constraint.definition = row[13].as<std::string>();
    constraint.comment = optional_text(row[14]);
    constraint.set_columns = json_strings(row[15]);
    constraints.push_back(std::move(constraint));
  }
  return constraints;
}

void read_tables(pqxx::work& tx, LiveDatabase& db) {
  for (const auto& row : tx.exec(
           "SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class'), "
           "c.relpersistence = 'u', c.relrowsecurity, c.relforcerowsecurity, (SELECT "
           "json_agg(json_build_array(o.option_name, o.option_value)) FROM "
           "pg_options_to_table(c.reloptions) o), " +
           grants_of("c.relacl", "c.relowner") +
           ", CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, pn.nspname, p.relname, "
           "pg_get_expr(c.relpartbound, c.oid) "
           "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition "
           "LEFT JOIN pg_class p ON p.oid = i.inhparent "
           "LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace "
           "WHERE c.relkind IN ('r', 'p') AND c.relpersistence IN ('p', 'u') AND "
           "(c.relispartition OR NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = "
           "c.oid)) AND " +
           user_schema("n") + " AND " + not_in_extension("pg_class", "c.oid") +
           " ORDER BY n.nspname, c.relname")) {
    const auto oid = row[0].as<std::string>();
    LiveTable table{{row[1].as<std::string>(), row[2].as<std::string>()},
                    read_columns(tx, oid),
                    read_constraints(tx, oid),
                    optional_text(row[3]),
                    row[4].as<bool>(),
                    row[5].as<bool>(),
                    row[6].as<bool>(),
                    json_pairs(row[7]),
                    json_pairs(row[8]),
                    row[9].is_null() ? "" : row[9].as<std::string>(),
                    row[10].is_null() ? std::nullopt
                                      : std::optional<LiveName>(LiveName{
                                            row[10].as<std::string>(), row[11].as<std::string>()}),
                    row[12].is_null() ? "" : row[12].as<std::string>()};
    db.tables.push_back(std::move(table));
  }
}

void read_indexes(pqxx::work& tx, LiveDatabase& db) {
  for (const auto& row : tx.exec(
           "SELECT n.nspname, c.relname, ic.relname, pg_get_indexdef(i.indexrelid), "
           "(SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_depend d JOIN pg_attribute a "
           "ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.classid = "
           "'pg_class'::regclass AND d.objid = i.indexrelid AND d.refobjid = i.indrelid "
           "AND d.refobjsubid > 0), c.relkind = 'm', obj_description(i.indexrelid, 'pg_class'), "
           "i.indisvalid "
           "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
           "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relkind IN ('r', 'p', 'm') AND " +
           user_schema("n") + " AND " + not_in_extension("pg_class", "c.oid") +
           " AND NOT EXISTS (SELECT 1 FROM pg_inherits ii WHERE ii.inhrelid = i.indexrelid)"
           " AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid "
           "AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')) "
           "ORDER BY n.nspname, c.relname, ic.relname"))
    db.indexes.push_back({{row[0].as<std::string>(), row[1].as<std::string>()},
                          row[2].as<std::string>(),
                          row[3].as<std::string>(),
                          json_strings(row[4]),
                          row[5].as<bool>(),
                          optional_text(row[6]),
                          row[7].as<bool>()});
}

void read_views(pqxx::work& tx, LiveDatabase& db) {
  for (const auto& row : tx.exec(
           "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid, true), "
           "(SELECT json_agg(json_build_array(rn.nspname, r.relname)) FROM (SELECT DISTINCT "
           "d.refobjid FROM pg_rewrite w JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass "
           "AND d.objid = w.oid WHERE w.ev_class = c.oid AND d.refobjid <> c.oid) dep "
           "JOIN pg_class r ON r.oid = dep.refobjid AND r.relkind IN ('v', 'm') "
           "JOIN pg_namespace rn ON rn.oid = r.relnamespace), obj_description(c.oid, "
           "'pg_class'), " +
           grants_of("c.relacl", "c.relowner") +
           ", c.relispopulated FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relkind IN ('v', 'm') AND " +
           user_schema("n") + " AND " + not_in_extension("pg_class", "c.oid") +
           " ORDER BY n.nspname, c.relname")) {
    LiveView view{{row[0].as<std::string>(), row[1].as<std::string>()},
                  row[2].as<bool>(),
                  row[3].as<std::string>(),
                  {},
                  optional_text(row[5]),
                  json_pairs(row[6]),
                  row[7].as<bool>()};
    while (!view.query.empty() && (view.query.back() == ';' || view.query.back() == '\n'))
      view.query.pop_back();
    if (!row[4].is_null())
      for (const auto& pair : nlohmann::json::parse(row[4].as<std::string>()))
        view.reads_views.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    db.views.push_back(std::move(view));
  }
}

void read_routines_and_types(pqxx::work& tx, LiveDatabase& db) {
  for (const auto& row : tx.exec("SELECT n.nspname, obj_description(n.oid, 'pg_namespace'), " +
                                 grants_of("n.nspacl", "n.nspowner") +
                                 " FROM pg_namespace n WHERE " + user_schema("n") + " AND " +
                                 not_in_extension("pg_namespace", "n.oid") + " ORDER BY 1"))
    db.schemas.push_back({row[0].as<std::string>(), optional_text(row[1]), json_pairs(row[2])});
  for (const auto& row :
       tx.exec("SELECT x.extname, n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = "
               "x.extnamespace WHERE x.extname <> 'plpgsql' ORDER BY x.oid"))
    db.extensions.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  for (const auto& row : tx.exec(
           "SELECT n.nspname, t.typname, (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) "
           "FROM pg_enum e WHERE e.enumtypid = t.oid), obj_description(t.oid, 'pg_type') "
           "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' "
           "AND " +
           user_schema("n") + " AND " + not_in_extension("pg_type", "t.oid") + " ORDER BY 1, 2"))
    db.enums.push_back({{row[0].as<std::string>(), row[1].as<std::string>()},
                        json_strings(row[2]),
                        optional_text(row[3])});
  for (const auto& row :
       tx.exec("SELECT n.nspname, c.relname, " + std::string(kSequenceOptions) +
               ", o.nspname, t.relname, a.attname, obj_description(c.oid, 'pg_class') "
               "FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid "
               "JOIN pg_namespace n ON n.oid = c.relnamespace "
               "LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
               "d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' "
               "LEFT JOIN pg_class t ON t.oid = d.refobjid LEFT JOIN pg_namespace o ON o.oid = "
               "t.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
               "d.refobjsubid "
               "WHERE NOT " +
               internal("pg_class", "c.oid") + " AND c.oid NOT IN (SELECT seq FROM (" +
               kSerialSequences + ") z) AND " + user_schema("n") + " AND " +
               not_in_extension("pg_class", "c.oid") + " ORDER BY 1, 2")) {
    auto sequence = sequence_of({row[0].as<std::string>(), row[1].as<std::string>()},
                                nlohmann::json::parse(row[2].as<std::string>()));
    if (!row[3].is_null())
      sequence.owned_by = {{row[3].as<std::string>(), row[4].as<std::string>()},
                           row[5].as<std::string>()};
    sequence.comment = optional_text(row[6]);
    db.sequences.push_back(std::move(sequence));
  }
  for (const auto& row : tx.exec(
           "SELECT n.nspname, t.typname, CASE t.typtype WHEN 'd' THEN format('CREATE DOMAIN %s "
           "AS %s', t.oid::regtype, format_type(t.typbasetype, t.typtypmod)) || CASE WHEN "
           "t.typcollation <> b.typcollation THEN ' COLLATE ' || t.typcollation::regcollation "
           "ELSE '' END || COALESCE(' DEFAULT ' || t.typdefault, '') || CASE WHEN t.typnotnull "
           "THEN ' NOT NULL' ELSE '' END || COALESCE((SELECT string_agg(format(' CONSTRAINT %I "
           "%s', c.conname, pg_get_constraintdef(c.oid)), '' ORDER BY c.oid) FROM pg_constraint "
           "c WHERE c.contypid = t.oid), '') WHEN 'r' THEN (SELECT format('CREATE TYPE %s AS RANGE "
           "(SUBTYPE = %s, SUBTYPE_OPCLASS = %I.%I, MULTIRANGE_TYPE_NAME = %s', t.oid::regtype, "
           "format_type(r.rngsubtype, NULL), on_.nspname, o.opcname, r.rngmultitypid::regtype) "
           "|| CASE WHEN r.rngcollation <> 0 THEN ', COLLATION = ' || "
           "r.rngcollation::regcollation ELSE '' END || CASE WHEN r.rngsubdiff <> 0 THEN ', "
           "SUBTYPE_DIFF = ' || r.rngsubdiff::regproc ELSE '' END || CASE WHEN r.rngcanonical <> "
           "0 THEN ', CANONICAL = ' || r.rngcanonical::regproc ELSE '' END || ')' FROM pg_range r "
           "JOIN pg_opclass o ON o.oid = r.rngsubopc JOIN pg_namespace on_ ON on_.oid = "
           "o.opcnamespace WHERE r.rngtypid = t.oid) ELSE format('CREATE TYPE %s AS (%s)', "
           "t.oid::regtype, "
           "(SELECT string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), "
           "', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND "
           "a.attnum > 0 AND NOT a.attisdropped)) END, CASE t.typtype WHEN 'd' THEN 'domain' "
           "ELSE 'type' END, obj_description(t.oid, 'pg_type') FROM pg_type t JOIN pg_namespace n "
           "ON n.oid = t.typnamespace LEFT JOIN pg_type b ON b.oid = t.typbasetype WHERE "
           "(t.typtype IN ('d', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r "
           "WHERE r.oid = t.typrelid AND r.relkind = 'c'))) AND " +
           user_schema("n") + " AND " + not_in_extension("pg_type", "t.oid") + " ORDER BY t.oid"))
    db.sql_types.push_back({{row[0].as<std::string>(), row[1].as<std::string>()},
                            row[2].as<std::string>(),
                            row[3].as<std::string>(),
                            optional_text(row[4])});
  for (const auto& row : tx.exec(
           "SELECT p.oid::regprocedure::text, l.lanname, pg_get_functiondef(p.oid), "
           "obj_description(p.oid, 'pg_proc'), EXISTS (SELECT 1 FROM pg_depend d WHERE "
           "d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid AND d.classid IN "
           "('pg_attrdef'::regclass, 'pg_constraint'::regclass)) FROM pg_proc p "
           "JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
           "WHERE " +
           user_functions() + " ORDER BY p.oid"))
    db.functions.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                            row[2].as<std::string>(), optional_text(row[3]), row[4].as<bool>()});
  for (const auto& row :
       tx.exec("SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, "
               "obj_description(t.oid, 'pg_trigger') FROM pg_trigger t JOIN pg_class c ON c.oid = "
               "t.tgrelid JOIN pg_namespace n ON n.oid = "
               "c.relnamespace WHERE NOT t.tgisinternal AND " +
               user_schema("n") + " AND " + not_in_extension("pg_trigger", "t.oid") +
               " ORDER BY 1, 2, 3"))
    db.triggers.push_back({{row[0].as<std::string>(), row[1].as<std::string>()},
                           row[2].as<std::string>(),
                           row[3].as<std::string>(),
                           row[4].as<std::string>()[0],
                           optional_text(row[5])});
  for (const auto& row : tx.exec(
           "SELECT p.schemaname, p.tablename, p.policyname, format('AS %s FOR %s TO %s', "
           "p.permissive, p.cmd, array_to_string(p.roles, ', ')) || coalesce(' USING (' || p.qual "
           "|| ')', '') || coalesce(' WITH CHECK (' || p.with_check || ')', '') FROM pg_policies "
           "p JOIN pg_namespace n ON n.nspname = p.schemaname WHERE " +
           user_schema("n") + " ORDER BY 1, 2, 3"))
    db.policies.push_back({{row[0].as<std::string>(), row[1].as<std::string>()},
                           row[2].as<std::string>(),
                           row[3].as<std::string>()});
}

// Everything else of the user's schemas, each with the reason it is not read.
void read_skipped(pqxx::work& tx, LiveDatabase& db) {
  const auto rows = tx.exec(
      "SELECT pg_describe_object(o.classid, o.objid, 0), o.reason FROM ("
      "SELECT 'pg_class'::regclass AS classid, c.oid AS objid, c.relnamespace AS ns, CASE "
      "WHEN c.relkind = 'f' THEN 'foreign tables are not in the language' "
      "WHEN c.relispartition THEN NULL "
      "WHEN EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) THEN 'inheritance is "
      "not in the language' END AS reason "
      "FROM pg_class c WHERE c.relkind IN ('r', 'p', 'f') AND " +
      not_in_extension("pg_class", "c.oid") +
      " UNION ALL SELECT 'pg_type'::regclass, t.oid, t.typnamespace, "
      "'base types are not in the language' FROM pg_type t WHERE t.typtype = 'b' AND "
      "t.typelem = 0 AND t.typrelid = 0 AND " +
      not_in_extension("pg_type", "t.oid") +
      " UNION ALL SELECT 'pg_proc'::regclass, p.oid, p.pronamespace, CASE p.prokind "
      "WHEN 'p' THEN 'procedures are not in the language' "
      "ELSE 'aggregate and window functions are not in the language' END FROM pg_proc p "
      "WHERE p.prokind <> 'f' AND " +
      not_in_extension("pg_proc", "p.oid") +
      " UNION ALL SELECT 'pg_rewrite'::regclass, w.oid, c.relnamespace, 'rules are not in the "
      "language' FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class WHERE w.rulename <> "
      "'_RETURN'"
      ") o JOIN pg_namespace n ON n.oid = o.ns WHERE o.reason IS NOT NULL AND " +
      user_schema("n") + " ORDER BY 1");
  for (const auto& row : rows)
    db.skipped.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  // Comments on what is not read as an object of its own.
  for (const auto& row : tx.exec(
           "SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid) FROM pg_description d "
           "JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE d.classoid = 'pg_class'::regclass AND d.objsubid = 0 AND " +
           user_schema("n") +
           " AND ((c.relkind = 'i' AND (EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid "
           "= c.oid) OR EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid))) OR "
           "(c.relkind = 'S' AND (" +
           internal("pg_class", "c.oid") + " OR c.oid IN (SELECT seq FROM (" + kSerialSequences +
           ") z)))) ORDER BY 1"))
    db.skipped.push_back({"comment on " + row[0].as<std::string>(),
                          "comments on the indexes of constraints and partitions and on the "
                          "sequences of identity and serial columns are not written"});
  // Privileges the language cannot grant.
  for (const auto& row : tx.exec(
           "SELECT g.kind, n.nspname, c.relname, CASE WHEN g.grantee = 0 THEN 'public' ELSE "
           "pg_get_userbyid(g.grantee) END, g.privileges, g.columns, g.grantable FROM ("
           "SELECT c.oid, CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind, "
           "a.grantee, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) AS "
           "privileges, NULL::json AS columns, a.is_grantable AS grantable, min(a.position) AS "
           "position FROM pg_class c, aclexplode(c.relacl) WITH ORDINALITY AS a(grantor, grantee, "
           "privilege_type, is_grantable, position) WHERE a.grantee <> c.relowner AND (c.relkind "
           "= 'S' OR (c.relkind IN ('r', 'p', 'v', 'm') AND a.is_grantable)) GROUP BY 1, 2, 3, 6 "
           "UNION ALL SELECT c.oid, 'table', a.grantee, a.privilege_type, json_agg(t.attname "
           "ORDER BY t.attnum), a.is_grantable, 1000000 + min(t.attnum) FROM pg_attribute t "
           "JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) AS a WHERE t.attacl IS "
           "NOT NULL AND NOT t.attisdropped AND a.grantee <> c.relowner GROUP BY 1, 3, 4, 6"
           ") g JOIN pg_class c ON c.oid = g.oid JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE " +
           user_schema("n") + " AND " + not_in_extension("pg_class", "c.oid") +
           " ORDER BY n.nspname, c.relname, g.position, g.privileges")) {
    LivePrivilege privilege{
        row[0].as<std::string>(), {row[1].as<std::string>(), row[2].as<std::string>()},
        row[3].as<std::string>(), row[4].as<std::string>(),
        json_strings(row[5]),     row[6].as<bool>()};
    db.privileges.push_back(std::move(privilege));
  }
  // EXECUTE on a function: taken from PUBLIC, or granted to others.
  const auto of_functions = "p.proacl IS NOT NULL AND " + user_functions();
  for (const auto& row : tx.exec(
           "SELECT n.nspname, p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON "
           "n.oid = p.pronamespace WHERE " +
           of_functions +
           " AND NOT EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0) ORDER BY "
           "p.oid"))
    db.privileges.push_back({"function",
                             {row[0].as<std::string>(), row[1].as<std::string>()},
                             "public",
                             "EXECUTE",
                             {},
                             false,
                             true});
  for (const auto& row : tx.exec(
           "SELECT n.nspname, p.oid::regprocedure::text, CASE WHEN a.grantee = 0 THEN 'public' "
           "ELSE pg_get_userbyid(a.grantee) END, a.is_grantable FROM pg_proc p JOIN "
           "pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) WITH ORDINALITY AS "
           "a(grantor, grantee, privilege_type, is_grantable, position) WHERE " +
           of_functions +
           " AND a.grantee <> p.proowner AND NOT (a.grantee = 0 AND NOT a.is_grantable) ORDER BY "
           "p.oid, a.position"))
    db.privileges.push_back({"function",
                             {row[0].as<std::string>(), row[1].as<std::string>()},
                             row[2].as<std::string>(),
                             "EXECUTE",
                             {},
                             row[3].as<bool>(),
                             false});
}

}  // namespace

bool LiveSequence::has_default_options() const {
  const auto* largest = type == "smallint"  ? "32767"
                        : type == "integer" ? "2147483647"
                                            : "9223372036854775807";
  return start == "1" && increment == "1" && minimum == "1" && maximum == largest && cache == "1" &&
         !cycle;
}

LiveDatabase read_live_schema(pqxx::connection& connection) {
  pqxx::work tx{connection};
  // Names in public come out unqualified, all others qualified, as a migration writes them.
  tx.exec0("SET LOCAL search_path = public");
  LiveDatabase db;
  read_routines_and_types(tx, db);
  read_tables(tx, db);
  read_indexes(tx, db);
  read_views(tx, db);
  read_skipped(tx, db);
  return db;
}

}  // namespace mig
