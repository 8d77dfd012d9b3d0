#include "compiler/parse/parser.hpp"

#include <algorithm>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/plpgsql.hpp"
#include "compiler/sql/quote.hpp"
#include "grammar/mig_control.hpp"

namespace mig {

namespace pegtl = tao::pegtl;
namespace g = grammar;

namespace {

template <typename Rule>
using selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        g::statement, g::annotation, g::rule_id, g::reason, g::create_table, g::unlogged,
        g::table_name, g::new_table_name, g::index_name, g::new_index_name, g::column_name,
        g::new_column_name, g::constraint_name, g::method_name, g::name, g::column_def,
        g::primary_key_constraint, g::unique_constraint, g::check_constraint,
        g::foreign_key_constraint, g::exclusion_constraint, g::exclusion_key, g::exclusion_operator,
        g::exclusion_where, g::not_valid, g::using_index, g::column_list, g::referenced_columns,
        g::references_clause, g::on_delete, g::set_columns, g::on_update, g::referential_action,
        g::deferrable, g::initially_deferred, g::nulls_not_distinct, g::included_columns,
        g::storage_parameters, g::not_null, g::null_constraint, g::default_expr,
        g::primary_key_inline, g::unique_inline, g::check_expr, g::identity_always,
        g::generated_expr, g::identity_by_default, g::type_name, g::drop_table, g::rename_table,
        g::alter_table, g::add_column, g::add_constraint, g::drop_column, g::drop_constraint,
        g::rename_column, g::rename_constraint, g::new_constraint_name, g::alter_index,
        g::validate_constraint, g::alter_column, g::set_type, g::using_expr, g::set_not_null,
        g::set_default, g::drop_not_null, g::drop_default, g::add_identity, g::set_identity,
        g::drop_identity, g::set_logged, g::set_unlogged, g::set_schema, g::reindex_index,
        g::reindex_table, g::reindex, g::create_index, g::unique_index, g::concurrently,
        g::if_not_exists, g::if_exists, g::index_key, g::where_expr, g::drop_index, g::raw_sql,
        g::sql_block_body, g::down_block, g::backfill, g::set_item, g::set_expr,
        g::backfill_where_expr, g::batch_size, g::batched_delete, g::create_function, g::or_replace,
        g::function_name, g::function_definition, g::drop_function, g::argument_types,
        g::create_trigger, g::trigger_name, g::trigger_events, g::trigger_condition,
        g::trigger_arguments, g::drop_trigger, g::view_name, g::view_query, g::create_view,
        g::drop_view,
        // schemas, extensions, enum types, comments
        g::schema_name, g::extension_name, g::enum_type_name, g::create_schema, g::drop_schema,
        g::create_extension, g::drop_extension, g::enum_label, g::new_enum_label,
        g::neighbour_label, g::create_enum, g::value_before, g::add_value, g::rename_value,
        g::alter_type, g::drop_type, g::column_path, g::comment_on_table, g::comment_on_column,
        g::comment_on_type, g::comment_on_schema, g::comment_on_view,
        g::comment_on_materialized_view, g::comment_on_index, g::comment_on_sequence,
        g::comment_on_constraint, g::comment_on_trigger, g::comment_text, g::comment_on,
        // policies and privileges
        g::enable_row_security, g::disable_row_security, g::force_row_security,
        g::no_force_row_security, g::policy_name, g::policy_clauses, g::create_policy,
        g::drop_policy, g::all_privileges, g::privilege, g::grant_on_schema, g::function_signature,
        g::grant_on_all, g::all_tables, g::all_sequences, g::all_functions, g::grant_on_sequence,
        g::role_name, g::grant, g::revoke,
        // sequences
        g::sequence_name, g::sequence_number, g::sequence_type, g::sequence_as,
        g::sequence_increment, g::sequence_minvalue, g::sequence_maxvalue, g::sequence_no_minvalue,
        g::sequence_no_maxvalue, g::sequence_start, g::sequence_cache, g::sequence_cycle,
        g::sequence_no_cycle, g::owned_by_none, g::sequence_owned_by, g::create_sequence,
        g::sequence_restart, g::alter_sequence, g::drop_sequence,
        // materialized views
        g::no_data, g::materialized_view_query, g::create_materialized_view,
        g::drop_materialized_view, g::refresh_materialized_view,
        // partitions
        g::partition_by, g::range_strategy, g::list_strategy, g::hash_strategy, g::partition_key,
        g::partition_of, g::parent_table_name, g::partition_name, g::partition_bound,
        g::default_bound, g::bound_from, g::bound_to, g::bound_in, g::bound_with,
        g::attach_partition, g::detach_partition,
        // selected so that `control` sees where they open (see UnclosedError, kMaxNesting)
        g::sql_string, g::sql_escape_string, g::sql_group, g::sql_brackets, g::quoted_name,
        g::sql_block, g::sql_braces>>;

using Node = pegtl::parse_tree::node;

template <typename T>
const Node* child(const Node& n) {
  for (const auto& c : n.children)
    if (c->is_type<T>()) return c.get();
  return nullptr;
}

template <typename T>
std::vector<const Node*> children(const Node& n) {
  std::vector<const Node*> out;
  for (const auto& c : n.children)
    if (c->is_type<T>()) out.push_back(c.get());
  return out;
}

Span span_of(const Node& n) { return {n.m_begin.byte, n.m_end.byte}; }

std::string fold_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// The unquoted text of `"..."` with `""` undoubled.
std::string unquote(std::string_view quoted, char quote) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    out += quoted[i];
    if (quoted[i] == quote) ++i;
  }
  return out;
}

std::string trim_right(std::string_view text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(end == std::string_view::npos ? "" : text.substr(0, end + 1));
}

using Nodes = std::vector<ast::Node>;

class Builder {
 public:
  Builder(const SourceFile& file, Diagnostics& out) : file_(file), out_(out) {}

  ParsedFile build(const Node& root) {
    ParsedFile parsed;
    for (const auto& statement : root.children) {
      const int index = parsed.statements++;
      for (const auto* a : children<g::annotation>(*statement))
        parsed.allows.push_back({std::string(child<g::rule_id>(*a)->string_view()),
                                 unquote(child<g::reason>(*a)->string_view(), '"'), span_of(*a),
                                 index});
      for (const auto& kind : statement->children) {
        if (kind->is_type<g::annotation>()) continue;
        const auto before = parsed.nodes.size();
        add_statement(*kind, parsed.nodes);
        for (auto i = before; i < parsed.nodes.size(); ++i) parsed.nodes[i].statement = index;
      }
    }
    return parsed;
  }

 private:
  void error(Span span, std::string message, std::string help = {}) {
    out_.push_back({Severity::Error, &file_, span, std::move(message), std::move(help), {}});
  }

  NameRef name(const Node& n) {
    const auto text = n.string_view();
    NameRef ref{text[0] == '"' ? unquote(text, '"') : fold_ascii(text), span_of(n)};
    if (ref.value.empty()) error(ref.span, "a quoted name must not be empty");
    if (ref.value.size() > kMaxIdentifier)
      error(ref.span,
            fmt::format("name `{}` is {} bytes long: PostgreSQL silently truncates names to {} "
                        "bytes, so two names alike in their first {} bytes would clash",
                        ref.value, ref.value.size(), kMaxIdentifier, kMaxIdentifier),
            fmt::format("give it a name of at most {} bytes", kMaxIdentifier));
    return ref;
  }

  // For nodes derived from qualified_name, column_name, ...: their `name` children.
  TableRef qualified(const Node& n) {
    const auto parts = children<g::name>(n);
    TableRef ref;
    ref.span = span_of(n);
    if (parts.size() == 2) {
      ref.name.schema = name(*parts[0]).value;
      ref.name.name = name(*parts[1]).value;
    } else {
      ref.name.name = name(*parts[0]).value;
    }
    return ref;
  }

  // column_name and the like are names themselves; constraint_name holds one.
  NameRef simple(const Node& n) {
    const auto* inner = child<g::name>(n);
    return name(inner ? *inner : n);
  }

  // Checks SQL text in the statement it will be part of, reporting errors in place. Its
  // comments are dropped: a `--` comment would hide whatever the statement puts after it.
  std::optional<SqlFragment> sql(const Node& n, std::string_view prefix,
                                 std::string_view suffix = "") {
    const auto text = n.string_view();
    const auto leading = std::min(text.find_first_not_of(" \t\r\n"), text.size());
    const auto written = trim_right(text.substr(leading));
    const auto begin = n.m_begin.byte + leading;
    auto uncommented = without_comments(written);
    if (auto* e = std::get_if<SqlError>(&uncommented)) {
      error({begin + e->offset, begin + e->offset + 1}, e->message);
      return std::nullopt;
    }
    auto& clean = std::get<UncommentedSql>(uncommented);
    SqlFragment f{trim_right(clean.text), {begin, begin + written.size()}, {}};
    if (f.text.empty()) {
      error({begin, begin + written.size()}, "only a comment where SQL is expected");
      return std::nullopt;
    }
    const auto& result = parse_in_context(prefix, f.text, suffix);
    if (const auto* e = std::get_if<SqlError>(&result)) {
      const auto at = begin + clean.original_offset(e->offset);
      error({at, at + 1}, sql_error_message(*e));
      return std::nullopt;
    }
    f.tree = std::get<SqlTree>(result);
    return f;
  }

  // A parenthesized check expression: checked with its parentheses, kept without.
  std::optional<SqlFragment> check_expression(const Node& n) {
    auto f = sql(n, "ALTER TABLE t ADD CHECK ");
    if (f) {
      f->text = f->text.substr(1, f->text.size() - 2);
      f->span = {f->span.begin + 1, f->span.end - 1};
    }
    return f;
  }

  std::optional<SqlFragment> type(const Node& n) { return sql(n, "CREATE TABLE t (c ", ")"); }

  std::string referential_action(const Node& n) {
    std::string out;
    bool space = false;
    for (char c : n.string_view()) {
      if (c == ' ' || c == '\t') {
        space = !out.empty();
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
  }

  std::vector<NameRef> columns(const Node* list) {
    std::vector<NameRef> out;
    if (list)
      for (const auto* c : children<g::column_name>(*list)) out.push_back(simple(*c));
    return out;
  }

  static Deferral deferral(const Node& constraint) {
    const auto* d = child<g::deferrable>(constraint);
    if (!d) return Deferral::None;
    return child<g::initially_deferred>(*d) ? Deferral::InitiallyDeferred
                                            : Deferral::InitiallyImmediate;
  }

  ReferenceSpec references(const Node& n) {
    ReferenceSpec r;
    r.table = qualified(*child<g::table_name>(n));
    r.columns = columns(child<g::referenced_columns>(n));
    if (const auto* d = child<g::on_delete>(n)) {
      r.on_delete = referential_action(*child<g::referential_action>(*d));
      if (const auto* set = child<g::set_columns>(*d)) {
        r.set_columns = columns(set);
        if (!r.on_delete.starts_with("SET "))
          error(span_of(*set),
                fmt::format("a column list follows only `set null` or `set default`, not `{}`",
                            fold_ascii(r.on_delete)));
      }
    }
    if (const auto* u = child<g::on_update>(n))
      r.on_update = referential_action(*child<g::referential_action>(*u));
    r.deferral = deferral(n);
    r.span = span_of(n);
    return r;
  }

  ColumnSpec column(const Node& n) {
    ColumnSpec c;
    c.name = simple(*child<g::column_name>(n));
    c.span = span_of(n);
    if (auto t = type(*child<g::type_name>(n))) c.type = *t;
    for (const auto& k : n.children) {
      if (k->is_type<g::not_null>()) c.not_null = true;
      if (k->is_type<g::null_constraint>()) c.explicit_null = true;
      if (k->is_type<g::default_expr>())
        c.default_expr = sql(*k, "ALTER TABLE t ALTER COLUMN c SET DEFAULT ");
      if (k->is_type<g::primary_key_inline>()) c.primary_key = true;
      if (k->is_type<g::unique_inline>()) {
        c.unique = true;
        c.unique_nulls_not_distinct = child<g::nulls_not_distinct>(*k) != nullptr;
      }
      if (k->is_type<g::check_expr>()) c.check = check_expression(*k);
      if (k->is_type<g::references_clause>()) c.references = references(*k);
      // PostgreSQL's grammar has the same `( a_expr )` here as in a check.
      if (k->is_type<g::generated_expr>()) c.generated = check_expression(*k);
      if (k->is_type<g::identity_always>()) c.identity = Identity::Always;
      if (k->is_type<g::identity_by_default>()) c.identity = Identity::ByDefault;
    }
    return c;
  }

  // A key of an index, or of an exclusion constraint: a bare column is re-quoted.
  std::optional<std::pair<IndexKey, SqlFragment>> index_key(const Node& k) {
    auto f = sql(k, "CREATE INDEX i ON t (", ")");
    if (!f) return std::nullopt;
    const auto* elem = find_node(*f->tree, "IndexElem");
    IndexKey key{std::nullopt, f->text};
    if (elem && elem->contains("name")) {
      key.column = (*elem)["name"].get<std::string>();
      // A bare column (no ordering, operator class or collation) is re-quoted.
      const bool bare = elem->size() == 3 && elem->value("ordering", "") == "SORTBY_DEFAULT" &&
                        elem->value("nulls_ordering", "") == "SORTBY_NULLS_DEFAULT";
      if (bare) key.sql = quote_ident(*key.column);
    }
    return std::pair{key, *f};
  }

  ExclusionSpec exclusion(const Node& n) {
    ExclusionSpec e;
    if (const auto* m = child<g::method_name>(n)) e.method = simple(*m).value;
    for (const auto* k : children<g::exclusion_key>(n))
      if (auto key = index_key(*k)) {
        e.keys.push_back(key->first);
        e.key_fragments.push_back(key->second);
      }
    for (const auto* o : children<g::exclusion_operator>(n)) {
      const auto op = std::string(o->string_view());
      if (std::holds_alternative<SqlError>(parse_in_context("SELECT a ", op, " b")))
        error(span_of(*o), fmt::format("`{}` is not an operator", op));
      e.operators.push_back(op);
    }
    if (const auto* w = child<g::exclusion_where>(n))
      e.where = check_expression(*child<g::check_expr>(*w));
    return e;
  }

  ConstraintSpec constraint(const Node& n) {
    ConstraintSpec c;
    c.span = span_of(n);
    if (n.is_type<g::primary_key_constraint>()) c.kind = ConstraintKind::PrimaryKey;
    if (n.is_type<g::unique_constraint>()) c.kind = ConstraintKind::Unique;
    if (n.is_type<g::check_constraint>()) c.kind = ConstraintKind::Check;
    if (n.is_type<g::foreign_key_constraint>()) c.kind = ConstraintKind::ForeignKey;
    if (n.is_type<g::exclusion_constraint>()) {
      c.kind = ConstraintKind::Exclusion;
      c.exclusion = exclusion(n);
    }
    if (const auto* name_node = child<g::constraint_name>(n)) c.name = simple(*name_node);
    c.columns = columns(child<g::column_list>(n));
    if (const auto* e = child<g::check_expr>(n)) c.check = check_expression(*e);
    if (const auto* r = child<g::references_clause>(n)) c.references = references(*r);
    if (const auto* u = child<g::using_index>(n))
      c.using_index = qualified(*child<g::index_name>(*u));
    c.deferral = deferral(n);
    c.nulls_not_distinct = child<g::nulls_not_distinct>(n) != nullptr;
    return c;
  }

  static bool is_constraint(const Node& n) {
    return n.is_type<g::primary_key_constraint>() || n.is_type<g::unique_constraint>() ||
           n.is_type<g::check_constraint>() || n.is_type<g::foreign_key_constraint>() ||
           n.is_type<g::exclusion_constraint>();
  }

  std::vector<RawStatement> raw_statements(const Node& body) {
    std::vector<RawStatement> out;
    const auto errors_before = out_.size();
    const auto base = body.m_begin.byte;
    for (auto& s : parse_script(body.string_view())) {
      if (const auto* e = std::get_if<SqlError>(&s.tree)) {
        error({base + e->offset, base + e->offset + 1}, sql_error_message(*e));
        continue;
      }
      const Span span{base + s.offset, base + s.offset + s.text.size()};
      if (auto clean = without_comments(s.text); std::holds_alternative<UncommentedSql>(clean))
        s.text = trim_right(std::get<UncommentedSql>(clean).text);
      out.push_back({std::move(s.text), span, std::get<nlohmann::json>(std::move(s.tree))});
    }
    if (out.empty() && out_.size() == errors_before)
      error(span_of(body), "the `sql` block holds no SQL statement");
    return out;
  }

  template <typename Kind>
  Kind& add(Nodes& nodes, const Node& n) {
    return std::get<Kind>(nodes.emplace_back(ast::Node{Kind{}, span_of(n)}).kind);
  }

  void add_alter_action(const Node& n, const TableRef& table, Nodes& nodes) {
    if (n.is_type<g::add_column>()) {
      auto& stmt = add<ast::AddColumn>(nodes, n);
      stmt.table = table;
      stmt.column = column(*child<g::column_def>(n));
    } else if (n.is_type<g::add_constraint>()) {
      auto& stmt = add<ast::AddConstraint>(nodes, n);
      stmt.table = table;
      for (const auto& k : n.children)
        if (is_constraint(*k)) stmt.constraint = constraint(*k);
      stmt.constraint.not_valid = child<g::not_valid>(n) != nullptr;
    } else if (n.is_type<g::drop_column>()) {
      auto& stmt = add<ast::DropColumn>(nodes, n);
      stmt.table = table;
      stmt.column = simple(*child<g::column_name>(n));
    } else if (n.is_type<g::drop_constraint>()) {
      auto& stmt = add<ast::DropConstraint>(nodes, n);
      stmt.table = table;
      stmt.name = simple(*child<g::constraint_name>(n));
    } else if (n.is_type<g::rename_constraint>()) {
      auto& stmt = add<ast::RenameConstraint>(nodes, n);
      stmt.table = table;
      stmt.name = simple(*child<g::constraint_name>(n));
      stmt.new_name = simple(*child<g::new_constraint_name>(n));
    } else if (n.is_type<g::validate_constraint>()) {
      auto& stmt = add<ast::ValidateConstraint>(nodes, n);
      stmt.table = table;
      stmt.name = simple(*child<g::constraint_name>(n));
    } else if (n.is_type<g::rename_column>()) {
      auto& stmt = add<ast::RenameColumn>(nodes, n);
      stmt.table = table;
      stmt.column = simple(*child<g::column_name>(n));
      stmt.new_name = simple(*child<g::new_column_name>(n));
    } else if (n.is_type<g::alter_column>()) {
      add_column_change(n, table, nodes);
    } else if (const auto change = row_security_change(n)) {
      auto& stmt = add<ast::SetRowSecurity>(nodes, n);
      stmt.table = table;
      stmt.change = *change;
    } else if (n.is_type<g::set_logged>() || n.is_type<g::set_unlogged>()) {
      auto& stmt = add<ast::SetLogged>(nodes, n);
      stmt.table = table;
      stmt.logged = n.is_type<g::set_logged>();
    } else if (n.is_type<g::set_schema>()) {
      auto& stmt = add<ast::SetSchema>(nodes, n);
      stmt.table = table;
      stmt.schema = simple(*child<g::schema_name>(n));
    } else if (n.is_type<g::attach_partition>()) {
      auto& stmt = add<ast::AttachPartition>(nodes, n);
      stmt.table = table;
      stmt.partition = qualified(*child<g::partition_name>(n));
      if (auto b = partition_bound(*child<g::partition_bound>(n))) stmt.bound = std::move(*b);
    } else if (n.is_type<g::detach_partition>()) {
      auto& stmt = add<ast::DetachPartition>(nodes, n);
      stmt.table = table;
      stmt.partition = qualified(*child<g::partition_name>(n));
      stmt.concurrently = child<g::concurrently>(n) != nullptr;
    }
  }

  // `partition by STRATEGY (KEY)`, the key checked as PostgreSQL reads it there.
  std::optional<PartitionKeySpec> partition_key(const Node& n) {
    PartitionKeySpec spec;
    if (child<g::list_strategy>(n)) spec.strategy = PartitionStrategy::List;
    if (child<g::hash_strategy>(n)) spec.strategy = PartitionStrategy::Hash;
    auto key = sql(*child<g::partition_key>(n),
                   fmt::format("CREATE TABLE t (c int) PARTITION BY {} ", to_sql(spec.strategy)));
    if (!key) return std::nullopt;
    spec.key = std::move(*key);
    const auto* partspec = find_node(*spec.key.tree, "partspec");
    for (const auto& p : partspec ? partspec->value("partParams", nlohmann::json::array())
                                  : nlohmann::json::array()) {
      const auto& element = p["PartitionElem"];
      if (!element.contains("name")) {
        spec.columns.clear();
        break;
      }
      spec.columns.push_back(element["name"].get<std::string>());
    }
    return spec;
  }

  // A partition's bound as SQL, each part checked where PostgreSQL reads it.
  std::optional<PartitionBound> partition_bound(const Node& n) {
    constexpr std::string_view prefix = "CREATE TABLE t PARTITION OF p ";
    PartitionBound bound;
    bound.span = span_of(n);
    std::vector<std::optional<SqlFragment>> parts;
    if (child<g::default_bound>(n)) {
      bound.sql = "DEFAULT";
    } else if (const auto* from = child<g::bound_from>(n)) {
      parts.push_back(sql(*from, fmt::format("{}FOR VALUES FROM ", prefix), " TO (MAXVALUE)"));
      parts.push_back(
          sql(*child<g::bound_to>(n), fmt::format("{}FOR VALUES FROM (MINVALUE) TO ", prefix)));
      if (parts[0] && parts[1])
        bound.sql = fmt::format("FOR VALUES FROM {} TO {}", parts[0]->text, parts[1]->text);
    } else if (const auto* in = child<g::bound_in>(n)) {
      parts.push_back(sql(*in, fmt::format("{}FOR VALUES IN ", prefix)));
      if (parts[0]) bound.sql = fmt::format("FOR VALUES IN {}", parts[0]->text);
    } else {
      parts.push_back(sql(*child<g::bound_with>(n), fmt::format("{}FOR VALUES WITH ", prefix)));
      if (parts[0]) bound.sql = fmt::format("FOR VALUES WITH {}", parts[0]->text);
    }
    if (bound.sql.empty()) return std::nullopt;
    auto tree = one_statement(fmt::format("{}{}", prefix, bound.sql));
    if (const auto* e = std::get_if<SqlError>(&tree)) {
      error(bound.span, sql_error_message(*e));
      return std::nullopt;
    }
    bound.tree = *find_node(std::get<nlohmann::json>(tree), "partbound");
    return bound;
  }

  void add_create_table(const Node& n, Nodes& nodes) {
    if (const auto* of = child<g::partition_of>(n)) {
      auto& stmt = add<ast::CreatePartition>(nodes, n);
      stmt.table = qualified(*child<g::table_name>(n));
      stmt.parent = qualified(*child<g::parent_table_name>(*of));
      if (const auto* u = child<g::unlogged>(n))
        error(span_of(*u), "a partition is logged or not as its partitioned table is",
              "drop `unlogged`");
      if (auto b = partition_bound(*child<g::partition_bound>(*of))) stmt.bound = std::move(*b);
      if (const auto* p = child<g::partition_by>(*of)) stmt.partition_by = partition_key(*p);
      return;
    }
    auto& stmt = add<ast::CreateTable>(nodes, n);
    stmt.table = qualified(*child<g::table_name>(n));
    stmt.unlogged = child<g::unlogged>(n) != nullptr;
    for (const auto& e : n.children) {
      if (e->is_type<g::column_def>()) stmt.columns.push_back(column(*e));
      if (is_constraint(*e)) stmt.constraints.push_back(constraint(*e));
    }
    if (const auto* p = child<g::partition_by>(n)) stmt.partition_by = partition_key(*p);
  }

  static std::optional<ast::RowSecurityChange> row_security_change(const Node& n) {
    if (n.is_type<g::enable_row_security>()) return ast::RowSecurityChange::Enable;
    if (n.is_type<g::disable_row_security>()) return ast::RowSecurityChange::Disable;
    if (n.is_type<g::force_row_security>()) return ast::RowSecurityChange::Force;
    if (n.is_type<g::no_force_row_security>()) return ast::RowSecurityChange::NoForce;
    return std::nullopt;
  }

  // create/drop policy, grant and revoke; false for another statement.
  bool add_policy_or_grant(const Node& n, Nodes& nodes) {
    if (n.is_type<g::create_policy>()) {
      auto& stmt = add<ast::CreatePolicy>(nodes, n);
      stmt.policy = simple(*child<g::policy_name>(n));
      stmt.table = qualified(*child<g::table_name>(n));
      if (const auto* c = child<g::policy_clauses>(n))
        stmt.clauses = sql(*c, "CREATE POLICY p ON t ");
    } else if (n.is_type<g::drop_policy>()) {
      auto& stmt = add<ast::DropPolicy>(nodes, n);
      stmt.policy = simple(*child<g::policy_name>(n));
      stmt.table = qualified(*child<g::table_name>(n));
    } else if (n.is_type<g::grant>() || n.is_type<g::revoke>()) {
      auto& stmt = add<ast::Grant>(nodes, n);
      stmt.revoke = n.is_type<g::revoke>();
      if (const auto* all = child<g::all_privileges>(n))
        stmt.privileges.push_back({"all", span_of(*all)});
      for (const auto* p : children<g::privilege>(n))
        stmt.privileges.push_back({fold_ascii(p->string_view()), span_of(*p)});
      if (const auto* a = child<g::grant_on_all>(n)) {
        stmt.in_schema = true;
        stmt.on = child<g::all_tables>(*a)      ? ast::Grant::On::Table
                  : child<g::all_sequences>(*a) ? ast::Grant::On::Sequence
                                                : ast::Grant::On::Function;
        const auto schema = simple(*child<g::schema_name>(*a));
        stmt.object = {{schema.value, schema.value}, schema.span};
      } else if (const auto* s = child<g::grant_on_schema>(n)) {
        stmt.on = ast::Grant::On::Schema;
        const auto schema = simple(*child<g::schema_name>(*s));
        stmt.object = {{schema.value, schema.value}, schema.span};
      } else if (const auto* f = child<g::function_signature>(n)) {
        stmt.on = ast::Grant::On::Function;
        stmt.object = qualified(*child<g::function_name>(*f));
        if (const auto* a = child<g::argument_types>(*f))
          stmt.argument_types = sql(*a, "DROP FUNCTION f");
      } else if (const auto* q = child<g::grant_on_sequence>(n)) {
        stmt.on = ast::Grant::On::Sequence;
        stmt.object = qualified(*child<g::sequence_name>(*q));
      } else {
        stmt.object = qualified(*child<g::table_name>(n));
      }
      for (const auto* r : children<g::role_name>(n)) stmt.roles.push_back(simple(*r));
    } else {
      return false;
    }
    return true;
  }

  void add_column_change(const Node& n, const TableRef& table, Nodes& nodes) {
    const auto column_name = simple(*child<g::column_name>(n));
    auto with_column = [&](auto& stmt) {
      stmt.table = table;
      stmt.column = column_name;
    };
    if (const auto* t = child<g::set_type>(n)) {
      auto& stmt = add<ast::AlterColumnType>(nodes, n);
      with_column(stmt);
      if (auto f = type(*child<g::type_name>(*t))) stmt.type = *f;
      if (const auto* u = child<g::using_expr>(*t))
        stmt.using_expr = sql(*u, "ALTER TABLE t ALTER COLUMN c TYPE int USING ");
    } else if (child<g::set_not_null>(n)) {
      with_column(add<ast::SetNotNull>(nodes, n));
    } else if (child<g::drop_not_null>(n)) {
      with_column(add<ast::DropNotNull>(nodes, n));
    } else if (const auto* d = child<g::set_default>(n)) {
      auto& stmt = add<ast::SetDefault>(nodes, n);
      with_column(stmt);
      if (auto f = sql(*child<g::default_expr>(*d), "ALTER TABLE t ALTER COLUMN c SET DEFAULT "))
        stmt.default_expr = *f;
    } else if (child<g::drop_default>(n)) {
      with_column(add<ast::DropDefault>(nodes, n));
    } else if (const auto* change = identity_change(n)) {
      auto& stmt = add<ast::ChangeIdentity>(nodes, n);
      with_column(stmt);
      stmt.add = change->is_type<g::add_identity>();
      stmt.identity = identity_of(*change);
    }
  }

  static const Node* identity_change(const Node& n) {
    for (const auto& c : n.children)
      if (c->is_type<g::add_identity>() || c->is_type<g::set_identity>() ||
          c->is_type<g::drop_identity>())
        return c.get();
    return nullptr;
  }

  static Identity identity_of(const Node& n) {
    if (child<g::identity_always>(n)) return Identity::Always;
    if (child<g::identity_by_default>(n)) return Identity::ByDefault;
    return Identity::None;
  }

  void add_create_index(const Node& n, Nodes& nodes) {
    auto& stmt = add<ast::CreateIndex>(nodes, n);
    stmt.table = qualified(*child<g::table_name>(n));
    stmt.index = qualified(*child<g::new_index_name>(n));
    stmt.unique = child<g::unique_index>(n) != nullptr;
    stmt.concurrently = child<g::concurrently>(n) != nullptr;
    stmt.if_not_exists = child<g::if_not_exists>(n) != nullptr;
    if (const auto* m = child<g::method_name>(n)) stmt.method = simple(*m).value;
    for (const auto* k : children<g::index_key>(n))
      if (auto key = index_key(*k)) {
        stmt.keys.push_back(key->first);
        stmt.key_fragments.push_back(key->second);
      }
    stmt.include = columns(child<g::included_columns>(n));
    stmt.nulls_not_distinct = child<g::nulls_not_distinct>(n) != nullptr;
    if (const auto* w = child<g::storage_parameters>(n))
      stmt.with = sql(*w, "CREATE INDEX i ON t (c) WITH ");
    if (const auto* w = child<g::where_expr>(n))
      stmt.where = sql(*w, "CREATE INDEX i ON t (c) WHERE ");
  }

  void add_create_function(const Node& n, Nodes& nodes) {
    auto& stmt = add<ast::CreateFunction>(nodes, n);
    stmt.function = qualified(*child<g::function_name>(n));
    stmt.or_replace = child<g::or_replace>(n) != nullptr;
    constexpr std::string_view prefix = "CREATE FUNCTION f";
    auto f = sql(*child<g::function_definition>(n), prefix);
    if (!f) return;
    if (auto e = plpgsql_error(std::string(prefix) + f->text)) {
      const auto at = f->span.begin + std::min(e->offset - std::min(e->offset, prefix.size()),
                                               f->span.end - f->span.begin - 1);
      error({at, at + 1}, e->message);
    }
    stmt.definition = std::move(*f);
  }

  void add_create_trigger(const Node& n, Nodes& nodes) {
    auto& stmt = add<ast::CreateTrigger>(nodes, n);
    stmt.trigger = simple(*child<g::trigger_name>(n));
    stmt.table = qualified(*child<g::table_name>(n));
    stmt.function = qualified(*child<g::function_name>(n));
    auto events =
        sql(*child<g::trigger_events>(n), "CREATE TRIGGER t ", " ON t EXECUTE FUNCTION f()");
    const auto* written_condition = child<g::trigger_condition>(n);
    if (trim_right(written_condition->string_view()).find_first_not_of(" \t") != std::string::npos)
      stmt.condition =
          sql(*written_condition, "CREATE TRIGGER t AFTER INSERT ON t ", " EXECUTE FUNCTION f()");
    auto arguments = sql(*child<g::trigger_arguments>(n),
                         "CREATE TRIGGER t AFTER INSERT ON t EXECUTE FUNCTION f");
    if (!events || !arguments) return;
    stmt.events = std::move(*events);
    stmt.arguments = std::move(*arguments);
    const auto whole = fmt::format("CREATE TRIGGER {} {} ON {} {} EXECUTE FUNCTION {}{}",
                                   Ident{stmt.trigger.value}, stmt.events.text, stmt.table.name,
                                   stmt.condition ? stmt.condition->text : "", stmt.function.name,
                                   stmt.arguments.text);
    auto tree = one_statement(whole);
    if (auto* e = std::get_if<SqlError>(&tree))
      error(span_of(n), sql_error_message(*e));
    else
      stmt.tree = std::get<nlohmann::json>(std::move(tree));
  }

  ast::EnumLabel label(const Node& n) {
    ast::EnumLabel l{unquote(n.string_view(), '\''), span_of(n)};
    if (l.value.size() > kMaxIdentifier)
      error(l.span, fmt::format("enum value `{}` is {} bytes long: PostgreSQL allows at most {}",
                                l.value, l.value.size(), kMaxIdentifier));
    return l;
  }

  // create/drop schema, create/drop extension, enum types and comments; false for another
  // statement.
  bool add_schema_object(const Node& n, Nodes& nodes) {
    if (n.is_type<g::create_schema>()) {
      add<ast::CreateSchema>(nodes, n).schema = simple(*child<g::schema_name>(n));
    } else if (n.is_type<g::drop_schema>()) {
      add<ast::DropSchema>(nodes, n).schema = simple(*child<g::schema_name>(n));
    } else if (n.is_type<g::create_extension>()) {
      auto& stmt = add<ast::CreateExtension>(nodes, n);
      stmt.extension = simple(*child<g::extension_name>(n));
      if (const auto* s = child<g::schema_name>(n)) stmt.schema = simple(*s);
    } else if (n.is_type<g::drop_extension>()) {
      add<ast::DropExtension>(nodes, n).extension = simple(*child<g::extension_name>(n));
    } else if (n.is_type<g::create_enum>()) {
      auto& stmt = add<ast::CreateEnum>(nodes, n);
      stmt.type = qualified(*child<g::enum_type_name>(n));
      for (const auto* l : children<g::enum_label>(n)) stmt.values.push_back(label(*l));
    } else if (n.is_type<g::alter_type>()) {
      const auto type = qualified(*child<g::enum_type_name>(n));
      if (const auto* a = child<g::add_value>(n)) {
        auto& stmt = add<ast::AddEnumValue>(nodes, n);
        stmt.type = type;
        stmt.value = label(*child<g::enum_label>(*a));
        if (const auto* neighbour = child<g::neighbour_label>(*a))
          stmt.neighbour = label(*neighbour);
        stmt.before = child<g::value_before>(*a) != nullptr;
      } else {
        const auto* r = child<g::rename_value>(n);
        auto& stmt = add<ast::RenameEnumValue>(nodes, n);
        stmt.type = type;
        stmt.value = label(*child<g::enum_label>(*r));
        stmt.new_value = label(*child<g::new_enum_label>(*r));
      }
    } else if (n.is_type<g::drop_type>()) {
      add<ast::DropType>(nodes, n).type = qualified(*child<g::enum_type_name>(n));
    } else if (n.is_type<g::comment_on>()) {
      add_comment(n, nodes);
    } else {
      return false;
    }
    return true;
  }

  // `table.column` or `schema.table.column`: the table and the column.
  std::pair<TableRef, NameRef> column_path(const Node& path) {
    auto parts = children<g::name>(path);
    const auto column = name(*parts.back());
    parts.pop_back();
    TableRef table;
    table.span = {span_of(*parts.front()).begin, span_of(*parts.back()).end};
    if (parts.size() == 2) table.name.schema = name(*parts[0]).value;
    table.name.name = name(*parts.back()).value;
    return {table, column};
  }

  static Number number(const Node& n) {
    const auto* digits = child<g::sequence_number>(n);
    return Number{digits->string(), span_of(*digits)};
  }

  ast::SequenceOptions sequence_options(const Node& n) {
    ast::SequenceOptions o;
    for (const auto& k : n.children) {
      if (k->is_type<g::sequence_as>()) o.type = simple(*child<g::sequence_type>(*k));
      if (k->is_type<g::sequence_increment>()) o.increment = number(*k);
      if (k->is_type<g::sequence_minvalue>()) o.minvalue = number(*k);
      if (k->is_type<g::sequence_no_minvalue>()) o.minvalue.emplace(std::nullopt);
      if (k->is_type<g::sequence_maxvalue>()) o.maxvalue = number(*k);
      if (k->is_type<g::sequence_no_maxvalue>()) o.maxvalue.emplace(std::nullopt);
      if (k->is_type<g::sequence_start>()) o.start = number(*k);
      if (k->is_type<g::sequence_cache>()) o.cache = number(*k);
      if (k->is_type<g::sequence_cycle>()) o.cycle = true;
      if (k->is_type<g::sequence_no_cycle>()) o.cycle = false;
      if (k->is_type<g::sequence_owned_by>()) {
        if (const auto* path = child<g::column_path>(*k)) {
          auto [table, column] = column_path(*path);
          o.owned_by = ast::SequenceOwner{table, column};
        } else {
          o.owned_by.emplace(std::nullopt);
        }
      }
    }
    return o;
  }

  // create/alter/drop sequence; false for another statement.
  bool add_sequence(const Node& n, Nodes& nodes) {
    if (n.is_type<g::create_sequence>()) {
      auto& stmt = add<ast::CreateSequence>(nodes, n);
      stmt.sequence = qualified(*child<g::sequence_name>(n));
      stmt.options = sequence_options(n);
    } else if (n.is_type<g::alter_sequence>()) {
      auto& stmt = add<ast::AlterSequence>(nodes, n);
      stmt.sequence = qualified(*child<g::sequence_name>(n));
      stmt.options = sequence_options(n);
      if (const auto* r = child<g::sequence_restart>(n)) {
        stmt.restart = true;
        stmt.restart_span = span_of(*r);
        if (child<g::sequence_number>(*r)) stmt.restart_with = number(*r);
      }
    } else if (n.is_type<g::drop_sequence>()) {
      add<ast::DropSequence>(nodes, n).sequence = qualified(*child<g::sequence_name>(n));
    } else {
      return false;
    }
    return true;
  }

  void add_comment(const Node& n, Nodes& nodes) {
    using Target = ast::CommentTarget;
    auto& stmt = add<ast::CommentOn>(nodes, n);
    const auto on_table = [&](const Node& target, Target kind, const Node& member) {
      stmt.target = kind;
      stmt.member = simple(member);
      stmt.object = qualified(*child<g::table_name>(target));
    };
    if (const auto* t = child<g::comment_on_table>(n)) {
      stmt.object = qualified(*child<g::table_name>(*t));
    } else if (const auto* c = child<g::comment_on_column>(n)) {
      stmt.target = Target::Column;
      std::tie(stmt.object, stmt.member) = column_path(*child<g::column_path>(*c));
    } else if (const auto* ty = child<g::comment_on_type>(n)) {
      stmt.target = Target::Type;
      stmt.object = qualified(*child<g::enum_type_name>(*ty));
    } else if (const auto* s = child<g::comment_on_schema>(n)) {
      stmt.target = Target::Schema;
      const auto schema = simple(*child<g::schema_name>(*s));
      stmt.object = {{schema.value, schema.value}, schema.span};
    } else if (const auto* v = child<g::comment_on_view>(n)) {
      stmt.target = Target::View;
      stmt.object = qualified(*child<g::view_name>(*v));
    } else if (const auto* m = child<g::comment_on_materialized_view>(n)) {
      stmt.target = Target::MaterializedView;
      stmt.object = qualified(*child<g::view_name>(*m));
    } else if (const auto* i = child<g::comment_on_index>(n)) {
      stmt.target = Target::Index;
      stmt.object = qualified(*child<g::index_name>(*i));
    } else if (const auto* f = child<g::function_signature>(n)) {
      stmt.target = Target::Function;
      stmt.object = qualified(*child<g::function_name>(*f));
      if (const auto* a = child<g::argument_types>(*f))
        stmt.argument_types = sql(*a, "DROP FUNCTION f");
    } else if (const auto* q = child<g::comment_on_sequence>(n)) {
      stmt.target = Target::Sequence;
      stmt.object = qualified(*child<g::sequence_name>(*q));
    } else if (const auto* k = child<g::comment_on_constraint>(n)) {
      on_table(*k, Target::Constraint, *child<g::constraint_name>(*k));
    } else if (const auto* r = child<g::comment_on_trigger>(n)) {
      on_table(*r, Target::Trigger, *child<g::trigger_name>(*r));
    }
    if (const auto* text = child<g::comment_text>(n))
      stmt.text = unquote(text->string_view(), '\'');
  }

  void add_statement(const Node& n, Nodes& nodes) {
    if (add_schema_object(n, nodes) || add_policy_or_grant(n, nodes) || add_sequence(n, nodes))
      return;
    if (n.is_type<g::create_function>()) {
      add_create_function(n, nodes);
    } else if (n.is_type<g::drop_function>()) {
      auto& stmt = add<ast::DropFunction>(nodes, n);
      stmt.function = qualified(*child<g::function_name>(n));
      if (const auto* a = child<g::argument_types>(n))
        stmt.argument_types = sql(*a, "DROP FUNCTION f");
    } else if (n.is_type<g::create_trigger>()) {
      add_create_trigger(n, nodes);
    } else if (n.is_type<g::drop_trigger>()) {
      auto& stmt = add<ast::DropTrigger>(nodes, n);
      stmt.trigger = simple(*child<g::trigger_name>(n));
      stmt.table = qualified(*child<g::table_name>(n));
    } else if (n.is_type<g::create_view>()) {
      auto& stmt = add<ast::CreateView>(nodes, n);
      stmt.view = qualified(*child<g::view_name>(n));
      stmt.or_replace = child<g::or_replace>(n) != nullptr;
      stmt.columns = columns(child<g::column_list>(n));
      if (auto q = sql(*child<g::view_query>(n), "CREATE VIEW v AS ")) stmt.query = std::move(*q);
    } else if (n.is_type<g::drop_view>() || n.is_type<g::drop_materialized_view>()) {
      auto& stmt = add<ast::DropView>(nodes, n);
      stmt.view = qualified(*child<g::view_name>(n));
      stmt.materialized = n.is_type<g::drop_materialized_view>();
    } else if (n.is_type<g::create_materialized_view>()) {
      auto& stmt = add<ast::CreateView>(nodes, n);
      stmt.view = qualified(*child<g::view_name>(n));
      stmt.materialized = true;
      stmt.columns = columns(child<g::column_list>(n));
      if (auto q = sql(*child<g::materialized_view_query>(n), "CREATE VIEW v AS "))
        stmt.query = std::move(*q);
      stmt.with_no_data = child<g::no_data>(n) != nullptr;
    } else if (n.is_type<g::reindex>()) {
      auto& stmt = add<ast::Reindex>(nodes, n);
      const auto* target = n.children.front().get();
      stmt.table = target->is_type<g::reindex_table>();
      stmt.target =
          qualified(stmt.table ? *child<g::table_name>(*target) : *child<g::index_name>(*target));
      stmt.concurrently = child<g::concurrently>(*target) != nullptr;
    } else if (n.is_type<g::refresh_materialized_view>()) {
      auto& stmt = add<ast::RefreshMaterializedView>(nodes, n);
      stmt.view = qualified(*child<g::view_name>(n));
      stmt.concurrently = child<g::concurrently>(n) != nullptr;
      stmt.no_data = child<g::no_data>(n) != nullptr;
    } else if (n.is_type<g::create_table>()) {
      add_create_table(n, nodes);
    } else if (n.is_type<g::drop_table>()) {
      add<ast::DropTable>(nodes, n).table = qualified(*child<g::table_name>(n));
    } else if (n.is_type<g::rename_table>()) {
      auto& stmt = add<ast::RenameTable>(nodes, n);
      stmt.table = qualified(*child<g::table_name>(n));
      stmt.new_name = qualified(*child<g::new_table_name>(n));
    } else if (n.is_type<g::alter_table>()) {
      const auto table = qualified(*child<g::table_name>(n));
      for (const auto& a : n.children)
        if (!a->is_type<g::table_name>()) add_alter_action(*a, table, nodes);
    } else if (n.is_type<g::create_index>()) {
      add_create_index(n, nodes);
    } else if (n.is_type<g::drop_index>()) {
      auto& stmt = add<ast::DropIndex>(nodes, n);
      stmt.index = qualified(*child<g::index_name>(n));
      stmt.concurrently = child<g::concurrently>(n) != nullptr;
      stmt.if_exists = child<g::if_exists>(n) != nullptr;
    } else if (n.is_type<g::alter_index>()) {
      auto& stmt = add<ast::RenameIndex>(nodes, n);
      stmt.index = qualified(*child<g::index_name>(n));
      stmt.new_name = qualified(*child<g::new_index_name>(n));
    } else if (n.is_type<g::raw_sql>()) {
      auto& stmt = add<ast::RawSql>(nodes, n);
      stmt.up_statements = raw_statements(*child<g::sql_block_body>(*child<g::sql_block>(n)));
      if (const auto* d = child<g::down_block>(n))
        stmt.down_statements = raw_statements(*child<g::sql_block_body>(*child<g::sql_block>(*d)));
    } else if (n.is_type<g::backfill>() || n.is_type<g::batched_delete>()) {
      auto& stmt = add<ast::Backfill>(nodes, n);
      stmt.table = qualified(*child<g::table_name>(n));
      for (const auto* item : children<g::set_item>(n)) {
        auto value = sql(*child<g::set_expr>(*item), "UPDATE t SET c = ");
        if (value) stmt.assignments.push_back({simple(*child<g::column_name>(*item)), *value});
      }
      if (const auto* w = child<g::backfill_where_expr>(n))
        stmt.where = sql(*w, "UPDATE t SET c = 1 WHERE ");
      if (const auto* b = child<g::batch_size>(n))
        stmt.batch_size = Number{b->string(), span_of(*b)};
    }
  }

  const SourceFile& file_;
  Diagnostics& out_;
};

}  // namespace

ParsedFile parse_file(const SourceFile& file, Diagnostics& out) {
  pegtl::memory_input in(file.text(), file.path());
  try {
    g::Openings open;
    auto root = pegtl::parse_tree::parse<g::file, selector, pegtl::nothing, g::control>(in, open);
    const auto errors_before = out.size();
    auto parsed = Builder(file, out).build(*root);
    if (out.size() != errors_before) return {};
    return parsed;
  } catch (const g::UnclosedError& e) {
    out.push_back({Severity::Error, &file, {e.byte, e.byte + 1}, e.message, {}, {}});
    return {};
  } catch (const pegtl::parse_error& e) {
    const auto byte = e.positions().front().byte;
    out.push_back({Severity::Error, &file, {byte, byte + 1}, std::string(e.message()), {}, {}});
    return {};
  }
}

}  // namespace mig
