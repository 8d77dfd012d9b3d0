#include "compiler/model/schema_model.hpp"

#include <algorithm>

#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/types.hpp"

namespace mig {

namespace {

template <typename Range, typename Name>
auto find_named(Range& range, Name name) -> decltype(&*range.begin()) {
  auto it = std::find_if(range.begin(), range.end(), [&](const auto& x) { return x.name == name; });
  return it == range.end() ? nullptr : &*it;
}

std::string column_list_sql(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quote_ident(c);
  return out;
}

bool expression_mentions(std::string_view prefix, std::string_view expr, std::string_view suffix,
                         std::string_view column) {
  const auto* tree = tree_of(parse_in_context(prefix, expr, suffix));
  if (!tree) return false;
  const auto refs = column_refs(*tree);
  return std::find(refs.begin(), refs.end(), column) != refs.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

// The integer type behind a serial type.
std::string serial_integer_type(const Column& c) {
  return sql_type_name(serial_integer(lower(c.type)).value_or("int4"));
}

// The first `bytes` bytes of `text`, not cutting a UTF-8 character.
std::string_view clip(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

// PostgreSQL's makeObjectName: the longer of the two names loses bytes until all fits; an
// empty `name2` is left out (`t_pkey`).
std::string make_object_name(std::string_view name1, std::string_view name2,
                             std::string_view label) {
  const auto available = kMaxIdentifier - label.size() - (name2.empty() ? 1 : 2);
  auto length1 = name1.size(), length2 = name2.size();
  while (length1 + length2 > available) (length1 > length2 ? length1 : length2)--;
  if (name2.empty()) return fmt::format("{}_{}", clip(name1, length1), label);
  return fmt::format("{}_{}_{}", clip(name1, length1), clip(name2, length2), label);
}

}  // namespace

bool is_serial(const Column& c) { return serial_integer(lower(c.type)).has_value(); }

bool owns_sequence(const Column& c) { return c.identity != Identity::None || is_serial(c); }

std::string natural_sequence_name(const ObjectName& table, const Column& c) {
  return make_object_name(table.name, c.name, "seq");
}

Column* Table::find_column(std::string_view n) { return find_named(columns, n); }
const Column* Table::find_column(std::string_view n) const { return find_named(columns, n); }
Constraint* Table::find_constraint(std::string_view n) { return find_named(constraints, n); }
const Constraint* Table::find_constraint(std::string_view n) const {
  return find_named(constraints, n);
}
Index* Table::find_index(std::string_view n) { return find_named(indexes, n); }
const Index* Table::find_index(std::string_view n) const { return find_named(indexes, n); }
Trigger* Table::find_trigger(std::string_view n) { return find_named(triggers, n); }
const Trigger* Table::find_trigger(std::string_view n) const { return find_named(triggers, n); }
const Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.kind == ConstraintKind::PrimaryKey) return &c;
  return nullptr;
}

const Table* SchemaModel::find_table(const ObjectName& n) const {
  const auto it = by_name_.find(n);
  return it == by_name_.end() ? nullptr : &*tables_[it->second];
}

void SchemaModel::add_table(Table table) {
  const auto position = tables_.size();
  index_table(position, *tables_.emplace_back(std::move(table)));
}

void SchemaModel::remove_table(const ObjectName& n) {
  const auto it = by_name_.find(n);
  if (it == by_name_.end()) return;
  const auto position = it->second;
  unindex_table(position, *tables_[position]);
  tables_[position].reset();
}

void SchemaModel::edit_table(const ObjectName& n, const std::function<void(Table&)>& edit) {
  const auto position = by_name_.at(n);
  auto& table = *tables_[position];
  unindex_table(position, table);
  edit(table);
  index_table(position, table);
  const auto& edited = *tables_[position];
  if (!edited.partitioning) return;
  // PostgreSQL applies every column change of a partitioned table to its partitions, and
  // they follow it when it is renamed.
  for (auto& t : tables_)
    if (t && t->partition_of && t->partition_of->parent == n) t->partition_of->parent = edited.name;
  const auto columns = edited.columns;
  for (const auto* partition : partitions_of(edited.name))
    edit_table(partition->name, [&](Table& t) { t.columns = partition_columns(columns, t); });
}

std::vector<Column> partition_columns(const std::vector<Column>& parent, const Table& partition) {
  std::vector<Column> out;
  for (auto c : parent) {
    c.identity = Identity::None;
    c.sequence.reset();
    c.sequence_grants = {};
    const auto* own = partition.find_column(c.name);
    c.comment = own ? own->comment : std::nullopt;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<const Table*> SchemaModel::partitions_of(const ObjectName& parent) const {
  std::vector<const Table*> out;
  for (const auto& t : tables_)
    if (t && t->partition_of && t->partition_of->parent == parent) out.push_back(&*t);
  return out;
}

std::string_view to_sql(PartitionStrategy strategy) {
  switch (strategy) {
    case PartitionStrategy::Range:
      return "RANGE";
    case PartitionStrategy::List:
      return "LIST";
    case PartitionStrategy::Hash:
      return "HASH";
  }
  return "RANGE";
}

void SchemaModel::edit_tables_referencing(const ObjectName& table,
                                          const std::function<void(Table&)>& edit) {
  const auto found = referenced_by_.find(table);
  if (found == referenced_by_.end()) return;
  const auto referencing = found->second;  // the edits may change the set
  for (const auto position : referencing) {
    auto& t = *tables_[position];
    unindex_table(position, t);
    edit(t);
    index_table(position, t);
  }
}

void SchemaModel::index_table(Position position, const Table& t) {
  by_name_.emplace(t.name, position);
  relations_.emplace(t.name, Relation{RelationKind::Table, position});
  for (const auto& c : t.columns)
    if (c.sequence)
      relations_.emplace(ObjectName{t.name.schema, *c.sequence},
                         Relation{RelationKind::Sequence, position});
  for (const auto& i : t.indexes)
    relations_.emplace(ObjectName{t.name.schema, i.name}, Relation{RelationKind::Index, position});
  for (const auto& c : t.constraints) {
    if (owns_index(c))
      relations_.emplace(ObjectName{t.name.schema, c.name},
                         Relation{RelationKind::ConstraintIndex, position});
    if (c.references) referenced_by_[c.references->table].insert(position);
  }
}

void SchemaModel::unindex_table(Position position, const Table& t) {
  if (const auto it = by_name_.find(t.name); it != by_name_.end() && it->second == position)
    by_name_.erase(it);
  auto forget = [&](const ObjectName& name) {
    const auto [first, last] = relations_.equal_range(name);
    for (auto it = first; it != last;)
      it = it->second.table == position ? relations_.erase(it) : std::next(it);
  };
  forget(t.name);
  for (const auto& c : t.columns)
    if (c.sequence) forget({t.name.schema, *c.sequence});
  for (const auto& i : t.indexes) forget({t.name.schema, i.name});
  for (const auto& c : t.constraints) {
    if (owns_index(c)) forget({t.name.schema, c.name});
    if (!c.references) continue;
    const auto it = referenced_by_.find(c.references->table);
    if (it == referenced_by_.end()) continue;
    it->second.erase(position);
    if (it->second.empty()) referenced_by_.erase(it);
  }
}

// Invalid histories can give two relations one name; the earliest declared table wins, as
// a search in declaration order would find it.
const Table* SchemaModel::first_owner(const ObjectName& name, RelationKind kind) const {
  std::optional<Position> first;
  const auto [begin, end] = relations_.equal_range(name);
  for (auto it = begin; it != end; ++it)
    if (it->second.kind == kind && (!first || it->second.table < *first)) first = it->second.table;
  return first ? &*tables_[*first] : nullptr;
}

const Table* SchemaModel::table_of_index(const ObjectName& name) const {
  return first_owner(name, RelationKind::Index);
}

const Table* SchemaModel::table_of_constraint_index(const ObjectName& name) const {
  return first_owner(name, RelationKind::ConstraintIndex);
}

const Table* SchemaModel::table_of_column_sequence(const ObjectName& name) const {
  return first_owner(name, RelationKind::Sequence);
}

const View* SchemaModel::view_of_index(const ObjectName& name) const {
  for (const auto& [view_name, view] : views_)
    if (view_name.schema == name.schema &&
        std::any_of(view.indexes.begin(), view.indexes.end(),
                    [&](const Index& i) { return i.name == name.name; }))
      return &view;
  return nullptr;
}

bool SchemaModel::relation_exists(const ObjectName& name) const {
  return relations_.contains(name) || views_.contains(name) || sequences_.contains(name) ||
         view_of_index(name);
}

std::string SchemaModel::choose_relation_name(const std::string& schema, std::string_view name1,
                                              std::string_view name2, std::string_view label,
                                              const std::set<std::string>& also_taken) const {
  const auto taken = [&](const std::string& name) {
    return relation_exists({schema, name}) || also_taken.contains(name);
  };
  auto name = make_object_name(name1, name2, label);
  for (int pass = 1; taken(name); ++pass)
    name = make_object_name(name1, name2, fmt::format("{}{}", label, pass));
  return name;
}

std::vector<std::pair<const Table*, const Constraint*>> SchemaModel::foreign_keys_to(
    const ObjectName& table, std::optional<std::string_view> column) const {
  std::vector<std::pair<const Table*, const Constraint*>> out;
  const auto referencing = referenced_by_.find(table);
  if (referencing == referenced_by_.end()) return out;
  for (const auto position : referencing->second) {
    const auto& t = *tables_[position];
    for (const auto& c : t.constraints) {
      if (c.kind != ConstraintKind::ForeignKey || c.references->table != table) continue;
      const auto& cols = c.references->columns;
      if (!column || std::find(cols.begin(), cols.end(), *column) != cols.end())
        out.emplace_back(&t, &c);
    }
  }
  return out;
}

const Function* SchemaModel::find_function(const ObjectName& name,
                                           const std::vector<std::string>& types) const {
  const auto it = functions_.find(name);
  if (it == functions_.end()) return nullptr;
  for (const auto& f : it->second)
    if (f.argument_types == types) return &f;
  return nullptr;
}

std::vector<const Function*> SchemaModel::functions_named(const ObjectName& name) const {
  std::vector<const Function*> out;
  if (const auto it = functions_.find(name); it != functions_.end())
    for (const auto& f : it->second) out.push_back(&f);
  return out;
}

void SchemaModel::put_function(Function f) {
  auto& overloads = functions_[f.name];
  for (auto& existing : overloads)
    if (existing.argument_types == f.argument_types) {
      f.grants = existing.grants;
      f.comment = existing.comment;
      existing = std::move(f);
      return;
    }
  overloads.push_back(std::move(f));
}

void SchemaModel::edit_function(const Function& f, const std::function<void(Function&)>& edit) {
  if (const auto it = functions_.find(f.name); it != functions_.end())
    for (auto& existing : it->second)
      if (existing.argument_types == f.argument_types) edit(existing);
}

void SchemaModel::remove_function(const Function& f) {
  const auto it = functions_.find(f.name);
  if (it == functions_.end()) return;
  std::erase_if(it->second,
                [&](const Function& x) { return x.argument_types == f.argument_types; });
  if (it->second.empty()) functions_.erase(it);
}

const View* SchemaModel::find_view(const ObjectName& name) const {
  const auto it = views_.find(name);
  return it == views_.end() ? nullptr : &it->second;
}

void SchemaModel::put_view(View v) {
  if (const auto* replaced = find_view(v.name)) {
    v.grants = replaced->grants;
    v.comment = replaced->comment;
  }
  auto name = v.name;
  views_.insert_or_assign(std::move(name), std::move(v));
}

void SchemaModel::remove_view(const ObjectName& name) { views_.erase(name); }

void SchemaModel::edit_views(const std::function<void(View&)>& edit) {
  std::map<ObjectName, View> edited;
  for (auto& [name, view] : views_) {
    edit(view);
    auto key = view.name;
    edited.emplace(std::move(key), std::move(view));
  }
  views_ = std::move(edited);
}

std::vector<std::pair<const Table*, const Trigger*>> SchemaModel::triggers_executing(
    const Function& f) const {
  std::vector<std::pair<const Table*, const Trigger*>> out;
  if (!f.argument_types.empty()) return out;  // trigger functions take no declared arguments
  for (const auto& table : tables())
    for (const auto& trigger : table.triggers)
      if (trigger.function == f.name) out.emplace_back(&table, &trigger);
  return out;
}

std::vector<const View*> SchemaModel::views_reading(const ObjectName& relation,
                                                    std::optional<std::string_view> column) const {
  std::vector<const View*> out;
  for (const auto& [name, view] : views_) {
    const bool reads =
        column ? view.reads_column(relation, *column)
               : std::find(view.reads.begin(), view.reads.end(), relation) != view.reads.end();
    if (reads) out.push_back(&view);
  }
  return out;
}

const Sequence* SchemaModel::find_sequence(const ObjectName& name) const {
  const auto it = sequences_.find(name);
  return it == sequences_.end() ? nullptr : &it->second;
}

void SchemaModel::put_sequence(Sequence s) {
  if (const auto* replaced = find_sequence(s.name)) {
    s.grants = replaced->grants;
    s.comment = replaced->comment;
  }
  auto name = s.name;
  sequences_.insert_or_assign(std::move(name), std::move(s));
}

void SchemaModel::edit_sequence(const ObjectName& name,
                                const std::function<void(Sequence&)>& edit) {
  if (const auto it = sequences_.find(name); it != sequences_.end()) edit(it->second);
}

void SchemaModel::remove_sequence(const ObjectName& name) { sequences_.erase(name); }

std::vector<const Sequence*> SchemaModel::sequences_owned_by(
    const ObjectName& table, std::optional<std::string_view> column) const {
  std::vector<const Sequence*> out;
  for (const auto& [name, s] : sequences_)
    if (s.owned_by && s.owned_by->table == table && (!column || s.owned_by->column == *column))
      out.push_back(&s);
  return out;
}

std::vector<std::pair<const Table*, const Column*>> SchemaModel::defaults_using(
    const ObjectName& sequence) const {
  std::vector<std::pair<const Table*, const Column*>> out;
  for (const auto& t : tables())
    for (const auto& c : t.columns) {
      if (!c.default_expr) continue;
      const auto named = sequences_in_default(*c.default_expr);
      if (std::find(named.begin(), named.end(), sequence) != named.end()) out.emplace_back(&t, &c);
    }
  return out;
}

void SchemaModel::remove_schema(std::string_view name) {
  if (const auto it = schemas_.find(name); it != schemas_.end()) schemas_.erase(it);
  if (const auto it = schema_comments_.find(name); it != schema_comments_.end())
    schema_comments_.erase(it);
  if (const auto it = schema_grants_.find(name); it != schema_grants_.end())
    schema_grants_.erase(it);
}

std::map<std::string, Grants, std::less<>> SchemaModel::initial_schema_grants() {
  return {{"public", Grants::initial("public", {"USAGE"})}};
}

const Grants& SchemaModel::schema_grants(std::string_view schema) const {
  static const Grants none;
  const auto it = schema_grants_.find(schema);
  return it == schema_grants_.end() ? none : it->second;
}

void SchemaModel::set_schema_grants(const std::string& schema, Grants grants) {
  schema_grants_[schema] = std::move(grants);
}

void SchemaModel::set_schema_comment(const std::string& schema,
                                     std::optional<std::string> comment) {
  if (comment)
    schema_comments_[schema] = std::move(*comment);
  else
    schema_comments_.erase(schema);
}

std::optional<std::string> SchemaModel::schema_comment(std::string_view schema) const {
  const auto it = schema_comments_.find(schema);
  return it == schema_comments_.end() ? std::nullopt : std::optional(it->second);
}

const EnumType* SchemaModel::find_enum(const ObjectName& name) const {
  const auto it = enums_.find(name);
  return it == enums_.end() ? nullptr : &it->second;
}

void SchemaModel::add_enum(EnumType type) {
  auto name = type.name;
  enums_.insert_or_assign(std::move(name), std::move(type));
}

void SchemaModel::remove_enum(const ObjectName& name) { enums_.erase(name); }

void SchemaModel::edit_enum(const ObjectName& name, const std::function<void(EnumType&)>& edit) {
  auto node = enums_.extract(name);
  edit(node.mapped());
  node.key() = node.mapped().name;
  enums_.insert(std::move(node));
}

const Extension* SchemaModel::find_extension(std::string_view name) const {
  const auto it = extensions_.find(name);
  return it == extensions_.end() ? nullptr : &it->second;
}

void SchemaModel::add_extension(Extension extension) {
  auto name = extension.name;
  extensions_.insert_or_assign(std::move(name), std::move(extension));
}

void SchemaModel::remove_extension(std::string_view name) {
  if (const auto it = extensions_.find(name); it != extensions_.end()) extensions_.erase(it);
}

std::vector<std::pair<const Table*, const Column*>> SchemaModel::columns_of_type(
    const ObjectName& type) const {
  std::vector<std::pair<const Table*, const Column*>> out;
  for (const auto& t : tables())
    for (const auto& c : t.columns) {
      const auto name = type_name(c.type);
      if (name && name->name == type.name &&
          (name->schema.empty() ? "public" : name->schema) == type.schema)
        out.emplace_back(&t, &c);
    }
  return out;
}

std::string_view deferral_sql(Deferral d) {
  switch (d) {
    case Deferral::None:
      return "";
    case Deferral::InitiallyImmediate:
      return " DEFERRABLE";
    case Deferral::InitiallyDeferred:
      return " DEFERRABLE INITIALLY DEFERRED";
  }
  return "";
}

std::string constraint_sql(const Constraint& c) {
  auto out = fmt::format("CONSTRAINT {} ", Ident{c.name});
  switch (c.kind) {
    case ConstraintKind::PrimaryKey:
      return out + "PRIMARY KEY (" + column_list_sql(c.columns) + ")" +
             std::string(deferral_sql(c.deferral));
    case ConstraintKind::Unique:
      return out + (c.nulls_not_distinct ? "UNIQUE NULLS NOT DISTINCT (" : "UNIQUE (") +
             column_list_sql(c.columns) + ")" + std::string(deferral_sql(c.deferral));
    case ConstraintKind::Check:
      return out + "CHECK (" + c.check + ")";
    case ConstraintKind::Exclusion: {
      const auto& e = *c.exclusion;
      out += "EXCLUDE ";
      if (!e.method.empty()) out += fmt::format("USING {} ", Ident{e.method});
      std::string elements;
      for (std::size_t i = 0; i < e.keys.size(); ++i)
        elements += fmt::format("{}{} WITH {}", i ? ", " : "", e.keys[i].sql, e.operators[i]);
      out += "(" + elements + ")";
      if (!e.where.empty()) out += " WHERE (" + e.where + ")";
      return out + std::string(deferral_sql(c.deferral));
    }
    case ConstraintKind::ForeignKey: {
      const auto& r = *c.references;
      out += fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", column_list_sql(c.columns), r.table,
                         column_list_sql(r.columns));
      if (!r.on_delete.empty()) out += " ON DELETE " + r.on_delete;
      if (!r.set_columns.empty()) out += " (" + column_list_sql(r.set_columns) + ")";
      if (!r.on_update.empty()) out += " ON UPDATE " + r.on_update;
      return out + std::string(deferral_sql(c.deferral));
    }
  }
  return out;
}

std::string create_index_sql(const ObjectName& table, const Index& index, bool concurrently,
                             bool if_not_exists) {
  std::string keys;
  for (const auto& k : index.keys) keys += (keys.empty() ? "" : ", ") + k.sql;
  auto out = fmt::format("CREATE {}INDEX {}{}{} ON {}", index.unique ? "UNIQUE " : "",
                         concurrently ? "CONCURRENTLY " : "", if_not_exists ? "IF NOT EXISTS " : "",
                         Ident{index.name}, table);
  if (!index.method.empty()) out += fmt::format(" USING {}", Ident{index.method});
  out += " (" + keys + ")";
  if (!index.include.empty()) out += " INCLUDE (" + column_list_sql(index.include) + ")";
  if (index.nulls_not_distinct) out += " NULLS NOT DISTINCT";
  if (!index.with.empty()) out += " WITH " + index.with;
  if (!index.where.empty()) out += " WHERE " + index.where;
  return out;
}

namespace {

bool names_other_sequence(const ObjectName& table, const Column& c) {
  return c.sequence && *c.sequence != natural_sequence_name(table, c);
}

}  // namespace

std::string identity_sql(const ObjectName& table, const Column& c) {
  if (c.identity == Identity::None) return "";
  std::string out = c.identity == Identity::Always ? " GENERATED ALWAYS AS IDENTITY"
                                                   : " GENERATED BY DEFAULT AS IDENTITY";
  if (names_other_sequence(table, c))
    out += fmt::format(" (SEQUENCE NAME {})", ObjectName{table.schema, *c.sequence});
  return out;
}

std::string column_sql(const ObjectName& table, const Column& c) {
  const ObjectName sequence{table.schema, c.sequence.value_or("")};
  if (is_serial(c) && names_other_sequence(table, c))
    return fmt::format("{} {} DEFAULT nextval({}::regclass) NOT NULL", Ident{c.name},
                       serial_integer_type(c), quote_literal(fmt::format("{}", sequence)));
  auto out = fmt::format("{} {}", Ident{c.name}, c.type) + identity_sql(table, c);
  if (c.generated) out += " GENERATED ALWAYS AS (" + c.generated->expression + ") STORED";
  if (c.default_expr) out += " DEFAULT " + *c.default_expr;
  if (c.not_null) out += " NOT NULL";
  return out;
}

std::optional<std::pair<std::string, std::string>> serial_sequence_sql(const Table& table,
                                                                       const Column& c) {
  if (!is_serial(c) || !names_other_sequence(table.name, c)) return std::nullopt;
  const ObjectName sequence{table.name.schema, *c.sequence};
  return std::pair{
      fmt::format("CREATE {}SEQUENCE {} AS {}", table.unlogged ? "UNLOGGED " : "", sequence,
                  serial_integer_type(c)),
      fmt::format("ALTER SEQUENCE {} OWNED BY {}.{}", sequence, table.name, Ident{c.name})};
}

bool owns_index(const Constraint& c) {
  return c.kind == ConstraintKind::PrimaryKey || c.kind == ConstraintKind::Unique ||
         c.kind == ConstraintKind::Exclusion;
}

bool mentions_column(const Constraint& c, std::string_view column) {
  if (c.exclusion) {
    Index index;
    index.keys = c.exclusion->keys;
    index.where = c.exclusion->where;
    return mentions_column(index, column);
  }
  if (std::find(c.columns.begin(), c.columns.end(), column) != c.columns.end()) return true;
  return c.kind == ConstraintKind::Check &&
         expression_mentions("ALTER TABLE t ADD CHECK (", c.check, ")", column);
}

bool mentions_column(const Index& index, std::string_view column) {
  for (const auto& k : index.keys) {
    if (k.column == column) return true;
    if (!k.column && expression_mentions("CREATE INDEX i ON t (", k.sql, ")", column)) return true;
  }
  if (std::find(index.include.begin(), index.include.end(), column) != index.include.end())
    return true;
  return !index.where.empty() &&
         expression_mentions("CREATE INDEX i ON t (x) WHERE ", index.where, "", column);
}

}  // namespace mig
