#include "tests/e2e/random_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <random>

namespace mig::test {

namespace {

enum class Family { Integer, Text };
enum class Kind { Unique, Check, ForeignKey };

struct Column {
  int id = 0;
  std::string name;
  Family family = Family::Integer;
  std::string type;
  bool key = false;  // the table's `id`
  bool not_null = false;
  bool has_default = false;
  bool references = false;  // a foreign key column: rows get NULL, its type never changes
  bool may_have_nulls = false;
  bool may_have_duplicates = false;
  int enum_type = 0;  // the enum type's id; rows all get its first value
};

struct Constraint {
  std::string name;
  Kind kind = Kind::Check;
  int column = 0;
  bool valid = true;
  int target = 0;  // the referenced table of a foreign key
};

struct Index {
  std::string name;
  int column = 0;
};

// A sequence of its own, perhaps owned by a column (it goes when that column goes).
struct Sequence {
  std::string name;
  int table = 0;  // the owner's table and column ids; 0: owned by none
  int column = 0;
  bool granted = false;  // usage to public
};

struct Table {
  int id = 0;
  std::string name;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;
  int rows = 0;
  bool unlogged = false;  // a logged table may not reference it
  bool row_security = false;
  std::vector<std::string> policies;
  std::vector<std::string> granted;  // privileges of public
};

// Rows get `row_value`, one of the type's first values (a value added later would go with
// the downgrade of its `add value`). Defaults name it too, which pins it: mig refuses to
// rename a value a default spells.
struct Enum {
  int id = 0;
  std::string name;
  std::vector<std::string> values;
  std::string row_value;
  bool pinned = false;
};

// A view of some columns of one table (only the key's when `columns` is empty); a
// materialized one may be empty until refreshed, and may have a unique index on `id`.
struct View {
  std::string name;
  int table = 0;
  std::vector<int> columns;
  bool materialized = false;
  bool populated = true;
  std::string index;
};

// A schema, and how many of the generator's objects are in it.
struct Schema {
  std::string name;
  int holds = 0;
  bool usage_granted = false;
};

// An extension, perhaps in a schema of its own.
struct Extension {
  std::string name;
  std::string schema;  // empty: public
};

// A table partitioned by range on `k`; partition i holds k in [100 i, 100 i + 100), and a
// detached one is a plain table that keeps its bound to be attached again.
struct Partition {
  std::string name;
  int slot = 0;  // -1: the default partition
  bool attached = true;
};

struct Partitioned {
  std::string name;
  std::vector<Partition> partitions;
  std::vector<std::string> indexes;
  int next_slot = 0;
};

struct Trigger {
  std::string name;
  int table = 0;
  std::string function;
};

const std::vector<std::string>& types_of(Family family) {
  static const std::vector<std::string> integer{"integer", "bigint", "numeric"};
  static const std::vector<std::string> text{"text", "varchar(200)"};
  return family == Family::Integer ? integer : text;
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : random_(seed) {}

  std::vector<RandomMigration> history(int length) {
    std::vector<RandomMigration> out;
    for (int version = 1; version <= length; ++version) {
      RandomMigration m;
      m.file_name = fmt::format("{:04}_step.mig", version);
      const int statements = version == 1 ? 1 : 1 + below(3);
      for (int s = 0; s < statements; ++s) m.source += statement() + "\n";
      m.inserts = inserts();
      out.push_back(std::move(m));
    }
    return out;
  }

 private:
  using Op = std::optional<std::string> (Generator::*)();

  std::string statement() {
    static const std::vector<std::pair<Op, int>> ops{{&Generator::create_table, 8},
                                                     {&Generator::drop_table, 3},
                                                     {&Generator::rename_table, 4},
                                                     {&Generator::add_column, 12},
                                                     {&Generator::drop_column, 9},
                                                     {&Generator::rename_column, 4},
                                                     {&Generator::alter_type, 9},
                                                     {&Generator::set_not_null, 4},
                                                     {&Generator::drop_not_null, 4},
                                                     {&Generator::set_default, 5},
                                                     {&Generator::drop_default, 3},
                                                     {&Generator::add_check, 5},
                                                     {&Generator::add_unique, 4},
                                                     {&Generator::add_foreign_key, 4},
                                                     {&Generator::validate, 5},
                                                     {&Generator::drop_constraint, 6},
                                                     {&Generator::create_index, 10},
                                                     {&Generator::drop_index, 5},
                                                     {&Generator::backfill, 4},
                                                     {&Generator::set_persistence, 2},
                                                     {&Generator::reindex, 2},
                                                     {&Generator::comment, 3},
                                                     {&Generator::comment_object, 3},
                                                     {&Generator::create_sequence, 3},
                                                     {&Generator::alter_sequence, 3},
                                                     {&Generator::drop_sequence, 2},
                                                     {&Generator::create_enum, 3},
                                                     {&Generator::alter_enum, 4},
                                                     {&Generator::drop_enum, 2},
                                                     {&Generator::create_view, 4},
                                                     {&Generator::replace_view, 2},
                                                     {&Generator::drop_view, 2},
                                                     {&Generator::create_function, 2},
                                                     {&Generator::create_trigger, 3},
                                                     {&Generator::drop_trigger, 2},
                                                     {&Generator::drop_function, 1},
                                                     {&Generator::row_security, 2},
                                                     {&Generator::create_policy, 3},
                                                     {&Generator::drop_policy, 2},
                                                     {&Generator::grant, 3},
                                                     {&Generator::revoke, 2},
                                                     {&Generator::routine_access, 2},
                                                     {&Generator::all_in_schema, 2},
                                                     {&Generator::refresh_view, 2},
                                                     {&Generator::index_view, 2},
                                                     {&Generator::create_schema, 2},
                                                     {&Generator::drop_schema, 1},
                                                     {&Generator::schema_access, 2},
                                                     {&Generator::create_extension, 2},
                                                     {&Generator::drop_extension, 1},
                                                     {&Generator::create_partitioned, 2},
                                                     {&Generator::create_partition, 3},
                                                     {&Generator::detach_partition, 2},
                                                     {&Generator::attach_partition, 2},
                                                     {&Generator::drop_partition, 1},
                                                     {&Generator::index_partitioned, 1},
                                                     {&Generator::drop_partitioned, 1}};
    if (tables_.empty()) return *create_table();
    int total = 0;
    for (const auto& [op, weight] : ops) total += weight;
    for (;;) {
      int roll = below(total);
      for (const auto& [op, weight] : ops) {
        if ((roll -= weight) >= 0) continue;
        if (auto s = (this->*op)()) return *s;
        break;
      }
    }
  }

  int below(std::size_t n) {
    return std::uniform_int_distribution<int>(0, static_cast<int>(n) - 1)(random_);
  }
  bool chance(int percent) { return below(100) < percent; }
  std::string fresh(const char* prefix) { return fmt::format("{}{}", prefix, next_name_++); }

  // A random table, and one of its non-key columns that `fits`; nullopt when none does.
  std::optional<std::pair<Table*, Column*>> pick_column(
      const std::function<bool(const Column&)>& fits) {
    std::vector<std::pair<Table*, Column*>> candidates;
    for (auto& t : tables_)
      for (auto& c : t.columns)
        if (!c.key && fits(c)) candidates.emplace_back(&t, &c);
    if (candidates.empty()) return std::nullopt;
    return candidates[below(candidates.size())];
  }

  bool read_by_view(int column) const {
    return std::any_of(views_.begin(), views_.end(), [&](const View& v) {
      return std::find(v.columns.begin(), v.columns.end(), column) != v.columns.end();
    });
  }

  Enum* find_enum(int id) {
    for (auto& e : enums_)
      if (e.id == id) return &e;
    return nullptr;
  }

  // The value rows get, for a default.
  const std::string& pin(int enum_type) {
    auto& e = *find_enum(enum_type);
    e.pinned = true;
    return e.row_value;
  }

  std::string check_sql(const Column& c) {
    if (c.enum_type) return fmt::format("{}::text <> ''", c.name);
    if (c.family == Family::Integer) return fmt::format("{} > 0", c.name);
    return chance(50) ? fmt::format("length({}) > 0", c.name) : fmt::format("{} <> ''", c.name);
  }

  // A table name an earlier table had (its primary key, sequences and constraints keep
  // their names), when there is one and `reuse`; a new one otherwise.
  std::string table_name(bool reuse) {
    if (free_table_names_.empty() || !reuse) return fresh("t");
    const auto i = below(free_table_names_.size());
    auto name = free_table_names_[i];
    free_table_names_.erase(free_table_names_.begin() + i);
    return name;
  }

  // A new column of `t` (which has `t.rows` rows) and its definition in `.mig`.
  std::string column_definition(Table& t, Column& c, bool in_create_table) {
    c.id = next_column_++;
    c.name = fmt::format("c{}", c.id);
    std::vector<Table*> targets;
    for (auto& other : tables_)
      if ((!in_create_table || other.id != t.id) && !other.unlogged) targets.push_back(&other);
    if (!targets.empty() && chance(20)) {
      const auto& target = *targets[below(targets.size())];
      c.family = Family::Integer;
      c.type = "bigint";
      c.references = true;
      c.may_have_nulls = true;
      t.constraints.push_back(
          {fmt::format("{}_{}_fkey", t.name, c.name), Kind::ForeignKey, c.id, true, target.id});
      return fmt::format("{} bigint references {}{}", c.name, target.name,
                         chance(50) ? " (id)" : "");
    }
    c.family = chance(60) ? Family::Integer : Family::Text;
    c.type = types_of(c.family)[below(types_of(c.family).size())];
    if (!enums_.empty() && chance(15)) {
      const auto& e = enums_[below(enums_.size())];
      c.enum_type = e.id;
      c.type = e.name;
    }
    auto sql = c.name + " " + c.type;
    c.has_default = chance(40);
    if (c.has_default)
      sql += c.enum_type                   ? fmt::format(" default '{}'", pin(c.enum_type))
             : c.family == Family::Integer ? " default 7"
                                           : " default 'd'";
    if (chance(30) && (c.has_default || t.rows == 0)) {
      sql += " not null";
      c.not_null = true;
    }
    c.may_have_nulls = !c.has_default && t.rows > 0;
    c.may_have_duplicates = (c.has_default && t.rows > 1) || c.enum_type;
    if (chance(25) && !c.may_have_duplicates) {
      sql += " unique";
      t.constraints.push_back({fmt::format("{}_{}_key", t.name, c.name), Kind::Unique, c.id});
    }
    if (chance(25)) {
      sql += " check (" + check_sql(c) + ")";
      t.constraints.push_back({fmt::format("{}_{}_check", t.name, c.name), Kind::Check, c.id});
    }
    return sql;
  }

  std::optional<std::string> create_table() {
    Table t;
    t.id = next_table_++;
    const bool reused_name = !free_table_names_.empty() && chance(50);
    t.name = table_name(reused_name);
    static const std::vector<std::string> keys{"id bigint generated always as identity",
                                               "id bigint generated by default as identity",
                                               "id serial", "id bigserial"};
    Column key;
    key.id = next_column_++;
    key.name = "id";
    key.key = true;
    t.columns.push_back(key);
    std::string body = "  " + keys[below(keys.size())] + (reused_name ? "" : " primary key") + "\n";
    if (reused_name) body += fmt::format("  primary key {} (id)\n", fresh("k"));
    const int columns = 1 + below(3);
    for (int i = 0; i < columns; ++i) {
      Column c;
      body += "  " + column_definition(t, c, true) + "\n";
      t.columns.push_back(c);
    }
    if (chance(15)) body += "  unique (id)\n";  // PostgreSQL keeps only the primary key
    if (chance(25)) {
      auto& c = t.columns[1 + below(t.columns.size() - 1)];
      const auto name = fresh("k");
      body += fmt::format("  check {} ({})\n", name, check_sql(c));
      t.constraints.push_back({name, Kind::Check, c.id});
    }
    const auto name = t.name;
    tables_.push_back(std::move(t));
    return fmt::format("create table {} {{\n{}}}", name, body);
  }

  std::optional<std::string> drop_table() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    for (const auto& other : tables_)
      for (const auto& c : other.constraints)
        if (c.kind == Kind::ForeignKey && c.target == t.id && other.id != t.id) return std::nullopt;
    for (const auto& v : views_)
      if (v.table == t.id) return std::nullopt;
    std::erase_if(triggers_, [&](const Trigger& g) { return g.table == t.id; });
    const auto name = t.name;
    free_table_names_.push_back(name);
    std::erase_if(sequences_, [&](const Sequence& q) { return q.table == t.id; });
    tables_.erase(tables_.begin() + (&t - tables_.data()));
    return "drop table " + name;
  }

  std::optional<std::string> rename_table() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    const auto old_name = t.name;
    t.name = table_name(chance(50));
    free_table_names_.push_back(old_name);
    return fmt::format("rename table {} to {}", old_name, t.name);
  }

  std::optional<std::string> add_column() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    Column c;
    const auto sql = column_definition(t, c, false);
    t.columns.push_back(c);
    return fmt::format("alter table {} add column {}", t.name, sql);
  }

  std::optional<std::string> drop_column() {
    auto found = pick_column([&](const Column& c) { return !read_by_view(c.id); });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const auto sql = fmt::format("alter table {} drop column {}", t->name, c->name);
    const int id = c->id;
    std::erase_if(t->constraints, [&](const Constraint& k) { return k.column == id; });
    std::erase_if(t->indexes, [&](const Index& i) { return i.column == id; });
    std::erase_if(t->columns, [&](const Column& col) { return col.id == id; });
    std::erase_if(sequences_, [&](const Sequence& q) { return q.column == id; });
    return sql;
  }

  std::optional<std::string> rename_column() {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const auto old_name = c->name;
    c->name = fmt::format("c{}", next_column_++);
    return fmt::format("alter table {} rename column {} to {}", t->name, old_name, c->name);
  }

  std::optional<std::string> alter_type() {
    auto found = pick_column(
        [&](const Column& c) { return !c.references && !c.enum_type && !read_by_view(c.id); });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    std::vector<std::string> others;
    for (const auto& type : types_of(c->family))
      if (type != c->type) others.push_back(type);
    c->type = others[below(others.size())];
    return fmt::format("alter table {} alter column {} type {}{}", t->name, c->name, c->type,
                       chance(20) ? fmt::format(" using {}::{}", c->name, c->type) : "");
  }

  std::optional<std::string> set_not_null() {
    auto found = pick_column(
        [](const Column& c) { return !c.references && !c.not_null && !c.may_have_nulls; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    c->not_null = true;
    return fmt::format("alter table {} alter column {} set not null", t->name, c->name);
  }

  std::optional<std::string> drop_not_null() {
    auto found = pick_column([](const Column& c) { return c.not_null; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    c->not_null = false;
    return fmt::format("alter table {} alter column {} drop not null", t->name, c->name);
  }

  // Sometimes a default that its column's check or foreign key rejects: inserts always
  // give a value, so only a downgrade that re-adds the column would use it.
  std::optional<std::string> set_default() {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    c->has_default = true;
    const bool rejected = chance(20);
    const auto value = c->enum_type                   ? fmt::format("'{}'", pin(c->enum_type))
                       : c->family == Family::Integer ? std::string(rejected ? "0" : "7")
                                                      : std::string(rejected ? "''" : "'d'");
    return fmt::format("alter table {} alter column {} set default {}", t->name, c->name, value);
  }

  std::optional<std::string> drop_default() {
    auto found = pick_column([](const Column& c) { return c.has_default; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    c->has_default = false;
    return fmt::format("alter table {} alter column {} drop default", t->name, c->name);
  }

  std::optional<std::string> add_check() {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const auto name = fresh("k");
    const bool not_valid = chance(40);
    t->constraints.push_back({name, Kind::Check, c->id, !not_valid});
    return fmt::format("alter table {} add check {} ({}){}", t->name, name, check_sql(*c),
                       not_valid ? " not valid" : "");
  }

  std::optional<std::string> add_unique() {
    auto found =
        pick_column([](const Column& c) { return !c.references && !c.may_have_duplicates; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const auto name = fresh("k");
    t->constraints.push_back({name, Kind::Unique, c->id});
    return fmt::format("alter table {} add unique {} ({})", t->name, name, c->name);
  }

  std::optional<std::string> add_foreign_key() {
    std::vector<std::pair<Table*, Column*>> candidates;
    for (auto& t : tables_)
      for (auto& c : t.columns)
        if (c.references &&
            std::none_of(t.constraints.begin(), t.constraints.end(), [&](const Constraint& k) {
              return k.kind == Kind::ForeignKey && k.column == c.id;
            }))
          candidates.emplace_back(&t, &c);
    if (candidates.empty()) return std::nullopt;
    auto [t, c] = candidates[below(candidates.size())];
    const auto& target = tables_[below(tables_.size())];
    if (target.unlogged) return std::nullopt;
    const auto name = fresh("k");
    const bool not_valid = chance(40);
    t->constraints.push_back({name, Kind::ForeignKey, c->id, !not_valid, target.id});
    return fmt::format("alter table {} add foreign key {} ({}) references {} (id){}", t->name, name,
                       c->name, target.name, not_valid ? " not valid" : "");
  }

  std::optional<std::string> validate() {
    for (auto& t : tables_)
      for (auto& k : t.constraints)
        if (!k.valid && chance(70)) {
          k.valid = true;
          return fmt::format("alter table {} validate constraint {}", t.name, k.name);
        }
    return std::nullopt;
  }

  std::optional<std::string> drop_constraint() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    if (t.constraints.empty()) return std::nullopt;
    const auto i = below(t.constraints.size());
    const auto name = t.constraints[i].name;
    t.constraints.erase(t.constraints.begin() + i);
    return fmt::format("alter table {} drop constraint {}", t.name, name);
  }

  std::optional<std::string> create_index() {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const bool integer = c->family == Family::Integer;
    const bool unique = chance(25) && !c->references && !c->may_have_duplicates;
    const auto key = chance(60) || c->enum_type ? c->name
                     : integer                  ? fmt::format("({} + 1)", c->name)
                                                : fmt::format("lower({})", c->name);
    std::string where;
    if (chance(35) && c->enum_type)
      where = fmt::format(" where {} is not null", c->name);
    else if (chance(35) && !c->enum_type)
      where =
          chance(50) ? fmt::format(" where {} is not null", c->name) : " where " + check_sql(*c);
    const auto name = fresh("i");
    t->indexes.push_back({name, c->id});
    return fmt::format("create {}index {}{} on {} ({}){}", unique ? "unique " : "",
                       chance(50) ? "concurrently " : "", name, t->name, key, where);
  }

  // Only a table no foreign key involves: logged tables may reference only logged ones.
  std::optional<std::string> set_persistence() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    for (const auto& other : tables_)
      for (const auto& c : other.constraints)
        if (c.kind == Kind::ForeignKey && (c.target == t.id || other.id == t.id))
          return std::nullopt;
    t.unlogged = !t.unlogged;
    return fmt::format("alter table {} set {}", t.name, t.unlogged ? "unlogged" : "logged");
  }

  std::optional<std::string> reindex() {
    if (tables_.empty()) return std::nullopt;
    const auto& t = tables_[below(tables_.size())];
    if (t.indexes.empty() || chance(30)) return "reindex table " + t.name;
    return fmt::format("reindex index {}{}", chance(50) ? "concurrently " : "",
                       t.indexes[below(t.indexes.size())].name);
  }

  std::optional<std::string> drop_index() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    if (t.indexes.empty()) return std::nullopt;
    const auto i = below(t.indexes.size());
    const auto name = t.indexes[i].name;
    t.indexes.erase(t.indexes.begin() + i);
    return fmt::format("drop index {}{}", chance(50) ? "concurrently " : "", name);
  }

  // Fills the NULLs of a column with values unique per row and accepted by its checks.
  std::optional<std::string> backfill() {
    auto found = pick_column(
        [](const Column& c) { return !c.references && !c.enum_type && c.may_have_nulls; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    c->may_have_nulls = false;
    const auto value = c->family == Family::Integer ? "id + 500000" : "'b' || id";
    return fmt::format("backfill {} set {} = {} where {} is null batch 2", t->name, c->name, value,
                       c->name);
  }

  // A comment on a table or a column, or one taken away.
  std::optional<std::string> comment() {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return std::nullopt;
    auto [t, c] = *found;
    const auto text = chance(25) ? std::string("null") : fmt::format("'it''s {}'", next_name_++);
    if (chance(50)) return fmt::format("comment on table {} is {}", t->name, text);
    return fmt::format("comment on column {}.{} is {}", t->name, c->name, text);
  }

  // A comment on a view, an index, a constraint, a trigger, a function or a sequence, or one
  // taken away.
  std::optional<std::string> comment_object() {
    const auto text = chance(25) ? std::string("null") : fmt::format("'it''s {}'", next_name_++);
    const auto comment = [&](const std::string& what) {
      return fmt::format("comment on {} is {}", what, text);
    };
    switch (below(6)) {
      case 0: {
        if (views_.empty()) return std::nullopt;
        const auto& v = views_[below(views_.size())];
        if (!v.index.empty() && chance(50)) return comment("index " + v.index);
        return comment(fmt::format("{}view {}", v.materialized ? "materialized " : "", v.name));
      }
      case 1:
      case 2: {
        if (tables_.empty()) return std::nullopt;
        const auto& t = tables_[below(tables_.size())];
        if (!t.indexes.empty() && chance(50))
          return comment("index " + t.indexes[below(t.indexes.size())].name);
        if (t.constraints.empty()) return std::nullopt;
        return comment(fmt::format("constraint {} on {}",
                                   t.constraints[below(t.constraints.size())].name, t.name));
      }
      case 3: {
        if (triggers_.empty()) return std::nullopt;
        const auto& g = triggers_[below(triggers_.size())];
        return comment(fmt::format("trigger {} on {}", g.name, find_table(g.table)->name));
      }
      case 4:
        if (functions_.empty()) return std::nullopt;
        return comment("function " + functions_[below(functions_.size())]);
      default:
        if (sequences_.empty()) return std::nullopt;
        return comment("sequence " + sequences_[below(sequences_.size())].name);
    }
  }

  // ` owned by T.C` for a random column, and who that is; nothing when there is no column.
  std::string owner(Sequence& q) {
    auto found = pick_column([](const Column&) { return true; });
    if (!found) return "";
    auto [t, c] = *found;
    q.table = t->id;
    q.column = c->id;
    return fmt::format(" owned by {}.{}", t->name, c->name);
  }

  // `s.` for a random schema of the generator's (counted as holding one more object), or
  // nothing: the object goes to public.
  std::string in_schema() {
    if (schemas_.empty() || !chance(30)) return "";
    auto& schema = schemas_[below(schemas_.size())];
    ++schema.holds;
    return schema.name + ".";
  }

  // The object `name` (perhaps schema-qualified) is gone from its schema.
  void left_schema(const std::string& name) {
    const auto dot = name.find('.');
    if (dot == std::string::npos) return;
    for (auto& schema : schemas_)
      if (schema.name == name.substr(0, dot)) --schema.holds;
  }

  std::optional<std::string> create_sequence() {
    Sequence q;
    q.name = in_schema() + fresh("s");
    std::string sql = "create sequence " + q.name;
    if (chance(40)) sql += chance(50) ? " as integer" : " as bigint";
    if (chance(50)) sql += fmt::format(" increment by {}", 1 + below(9));
    if (chance(50)) sql += fmt::format(" start with {}", 1 + below(1000));
    if (chance(30)) sql += fmt::format(" cache {}", 1 + below(20));
    if (chance(20)) sql += " cycle";
    if (q.name.find('.') == std::string::npos && chance(50)) sql += owner(q);  // same schema
    sequences_.push_back(q);
    return sql;
  }

  std::optional<std::string> alter_sequence() {
    if (sequences_.empty()) return std::nullopt;
    auto& q = sequences_[below(sequences_.size())];
    switch (below(5)) {
      case 0:
        return fmt::format("alter sequence {} increment by {}", q.name, 1 + below(9));
      case 1:
        return fmt::format("alter sequence {} restart with {}", q.name, 1 + below(1000));
      case 2:
        return fmt::format("alter sequence {} maxvalue {} no cycle", q.name, 100000 + below(1000));
      case 3:
        q.table = q.column = 0;
        return fmt::format("alter sequence {} owned by none", q.name);
      default: {
        if (q.name.find('.') != std::string::npos) return std::nullopt;
        auto by = owner(q);
        if (by.empty()) return std::nullopt;
        return fmt::format("alter sequence {}{}", q.name, by);
      }
    }
  }

  std::optional<std::string> drop_sequence() {
    if (sequences_.empty()) return std::nullopt;
    const auto i = below(sequences_.size());
    const auto name = sequences_[i].name;
    left_schema(name);
    sequences_.erase(sequences_.begin() + i);
    return "drop sequence " + name;
  }

  std::optional<std::string> create_enum() {
    Enum e{next_enum_++, in_schema() + fresh("e"), {fresh("v"), fresh("v")}, {}, false};
    e.row_value = e.values[below(2)];
    auto sql = fmt::format("create type {} as enum ('{}', '{}')", e.name, e.values[0], e.values[1]);
    enums_.push_back(std::move(e));
    return sql;
  }

  // A value added (at the end, or before or after one), or one renamed.
  std::optional<std::string> alter_enum() {
    if (enums_.empty()) return std::nullopt;
    auto& e = enums_[below(enums_.size())];
    const auto i = below(e.values.size());
    const auto value = fresh("v");
    if (chance(30)) {
      const auto old = e.values[i];
      if (old == e.row_value) {
        if (e.pinned) return std::nullopt;
        e.row_value = value;
      }
      e.values[i] = value;
      return fmt::format("alter type {} rename value '{}' to '{}'", e.name, old, value);
    }
    const auto where = below(3);
    const auto other = e.values[i];
    e.values.insert(where == 1   ? e.values.begin() + i + 1
                    : where == 0 ? e.values.end()
                                 : e.values.begin() + i,
                    value);
    if (where == 0) return fmt::format("alter type {} add value '{}'", e.name, value);
    return fmt::format("alter type {} add value '{}' {} '{}'", e.name, value,
                       where == 1 ? "after" : "before", other);
  }

  std::optional<std::string> drop_enum() {
    if (enums_.empty()) return std::nullopt;
    const auto i = below(enums_.size());
    for (const auto& t : tables_)
      for (const auto& c : t.columns)
        if (c.enum_type == enums_[i].id) return std::nullopt;
    const auto name = enums_[i].name;
    left_schema(name);
    enums_.erase(enums_.begin() + i);
    return "drop type " + name;
  }

  Table* find_table(int id) {
    for (auto& t : tables_)
      if (t.id == id) return &t;
    return nullptr;
  }

  std::string view_query(const View& v) {
    const auto& t = *find_table(v.table);
    std::string columns = "id";
    for (const auto id : v.columns)
      for (const auto& c : t.columns)
        if (c.id == id) columns += ", " + c.name;
    return fmt::format("select {} from {}{}", columns, t.name,
                       chance(50) ? fmt::format(" where id > {}", below(5)) : "");
  }

  std::optional<std::string> create_view() {
    if (tables_.empty()) return std::nullopt;
    const auto& t = tables_[below(tables_.size())];
    View v;
    v.name = fresh("w");
    v.table = t.id;
    for (const auto& c : t.columns)
      if (!c.key && chance(50)) v.columns.push_back(c.id);
    v.materialized = chance(35);
    v.populated = !v.materialized || chance(70);
    auto sql = fmt::format("create {}view {} as {}{}", v.materialized ? "materialized " : "",
                           v.name, view_query(v), v.populated ? "" : " with no data");
    views_.push_back(std::move(v));
    return sql;
  }

  // The same columns, read under another condition.
  std::optional<std::string> replace_view() {
    if (views_.empty()) return std::nullopt;
    const auto& v = views_[below(views_.size())];
    if (v.materialized) return std::nullopt;
    return fmt::format("create or replace view {} as {}", v.name, view_query(v));
  }

  std::optional<std::string> drop_view() {
    if (views_.empty()) return std::nullopt;
    const auto i = below(views_.size());
    const auto name = views_[i].name;
    const bool materialized = views_[i].materialized;
    views_.erase(views_.begin() + i);
    return fmt::format("drop {}view {}", materialized ? "materialized " : "", name);
  }

  View* pick_materialized() {
    std::vector<View*> found;
    for (auto& v : views_)
      if (v.materialized) found.push_back(&v);
    return found.empty() ? nullptr : found[below(found.size())];
  }

  std::optional<std::string> refresh_view() {
    auto* v = pick_materialized();
    if (!v) return std::nullopt;
    if (chance(20)) {
      v->populated = false;
      return fmt::format("refresh materialized view {} with no data", v->name);
    }
    const bool concurrently = v->populated && !v->index.empty() && chance(60);
    v->populated = true;
    return fmt::format("refresh materialized view {}{}", concurrently ? "concurrently " : "",
                       v->name);
  }

  // A unique index on the view's `id` (what a concurrent refresh needs), made or dropped.
  std::optional<std::string> index_view() {
    auto* v = pick_materialized();
    if (!v) return std::nullopt;
    if (!v->index.empty()) {
      const auto name = v->index;
      v->index.clear();
      return "drop index " + name;
    }
    v->index = fresh("i");
    return fmt::format("create unique index {}{} on {} (id)", chance(50) ? "concurrently " : "",
                       v->index, v->name);
  }

  std::optional<std::string> create_schema() {
    schemas_.push_back({fresh("n"), 0, false});
    return "create schema " + schemas_.back().name;
  }

  std::optional<std::string> drop_schema() {
    if (schemas_.empty()) return std::nullopt;
    const auto i = below(schemas_.size());
    if (schemas_[i].holds > 0) return std::nullopt;
    const auto name = schemas_[i].name;
    schemas_.erase(schemas_.begin() + i);
    return "drop schema " + name;
  }

  // Usage granted to or revoked from public, or a comment.
  std::optional<std::string> schema_access() {
    if (schemas_.empty()) return std::nullopt;
    auto& schema = schemas_[below(schemas_.size())];
    if (chance(40))
      return fmt::format("comment on schema {} is {}", schema.name,
                         chance(25) ? std::string("null") : fmt::format("'{}'", next_name_++));
    schema.usage_granted = !schema.usage_granted;
    return schema.usage_granted ? fmt::format("grant usage on schema {} to public", schema.name)
                                : fmt::format("revoke usage on schema {} from public", schema.name);
  }

  std::optional<std::string> create_extension() {
    static const std::vector<std::string> names{"citext", "hstore", "pg_trgm", "pgcrypto"};
    const auto& name = names[below(names.size())];
    for (const auto& e : extensions_)
      if (e.name == name) return std::nullopt;
    Extension e{name, in_schema()};
    if (!e.schema.empty()) e.schema.pop_back();
    extensions_.push_back(e);
    return fmt::format("create extension {}{}", name,
                       e.schema.empty() ? "" : " schema " + e.schema);
  }

  std::optional<std::string> drop_extension() {
    if (extensions_.empty()) return std::nullopt;
    const auto i = below(extensions_.size());
    const auto e = extensions_[i];
    if (!e.schema.empty()) left_schema(e.schema + ".");
    extensions_.erase(extensions_.begin() + i);
    return "drop extension " + e.name;
  }

  std::optional<std::string> create_partitioned() {
    Partitioned p;
    p.name = fresh("pt");
    const bool keyed = chance(50);
    auto sql = fmt::format(
        "create table {} {{\n  id bigint {}\n  k integer not null\n  note text{}\n{}}} "
        "partition by range (k)",
        p.name, keyed ? "generated always as identity" : "not null",
        chance(40) ? " default 'n'" : "", keyed ? "  primary key (id, k)\n" : "");
    partitioned_.push_back(std::move(p));
    return sql;
  }

  Partitioned* pick_partitioned() {
    return partitioned_.empty() ? nullptr : &partitioned_[below(partitioned_.size())];
  }

  static std::string bound(int slot) {
    return slot < 0 ? "default"
                    : fmt::format("for values from ({}) to ({})", 100 * slot, 100 * slot + 100);
  }

  bool has_default(const Partitioned& p) const {
    return std::any_of(p.partitions.begin(), p.partitions.end(),
                       [](const Partition& x) { return x.attached && x.slot < 0; });
  }

  std::optional<std::string> create_partition() {
    auto* p = pick_partitioned();
    if (!p) return std::nullopt;
    const int slot = !has_default(*p) && chance(20) ? -1 : p->next_slot++;
    Partition x{fmt::format("{}_{}", p->name, slot < 0 ? fresh("d") : std::to_string(slot)), slot};
    p->partitions.push_back(x);
    return fmt::format("create table {} partition of {} {}", x.name, p->name, bound(slot));
  }

  Partition* pick_partition(Partitioned& p, bool attached) {
    std::vector<Partition*> found;
    for (auto& x : p.partitions)
      if (x.attached == attached) found.push_back(&x);
    return found.empty() ? nullptr : found[below(found.size())];
  }

  std::optional<std::string> detach_partition() {
    auto* p = pick_partitioned();
    if (!p) return std::nullopt;
    auto* x = pick_partition(*p, true);
    if (!x) return std::nullopt;
    const bool concurrently = x->slot >= 0 && !has_default(*p) && chance(50);
    x->attached = false;
    return fmt::format("alter table {} detach partition {}{}", p->name, x->name,
                       concurrently ? " concurrently" : "");
  }

  // Attached again with its bound, sometimes after a check that proves it.
  std::optional<std::string> attach_partition() {
    auto* p = pick_partitioned();
    if (!p) return std::nullopt;
    auto* x = pick_partition(*p, false);
    if (!x || (x->slot < 0 && has_default(*p))) return std::nullopt;
    x->attached = true;
    const auto attach =
        fmt::format("alter table {} attach partition {} {}", p->name, x->name, bound(x->slot));
    if (x->slot < 0 || chance(50)) return attach;
    const auto check = fresh("k");
    return fmt::format(
        "alter table {} add check {} (k >= {} and k < {})\n{}\nalter table {} drop constraint {}",
        x->name, check, 100 * x->slot, 100 * x->slot + 100, attach, x->name, check);
  }

  std::optional<std::string> drop_partition() {
    auto* p = pick_partitioned();
    if (!p || p->partitions.empty()) return std::nullopt;
    const auto i = below(p->partitions.size());
    const auto name = p->partitions[i].name;
    p->partitions.erase(p->partitions.begin() + i);
    return "drop table " + name;
  }

  std::optional<std::string> index_partitioned() {
    auto* p = pick_partitioned();
    if (!p) return std::nullopt;
    if (!p->indexes.empty() && chance(40)) {
      const auto name = p->indexes.back();
      p->indexes.pop_back();
      return "drop index " + name;
    }
    p->indexes.push_back(fresh("i"));
    return fmt::format("create index {} on {} ({})", p->indexes.back(), p->name,
                       chance(50) ? "k" : "note, k");
  }

  // With its attached partitions; detached ones stay as plain tables.
  std::optional<std::string> drop_partitioned() {
    if (partitioned_.empty()) return std::nullopt;
    const auto i = below(partitioned_.size());
    const auto name = partitioned_[i].name;
    partitioned_.erase(partitioned_.begin() + i);
    return "drop table " + name;
  }

  // A trigger function that lets every row through, made or replaced.
  std::optional<std::string> create_function() {
    const bool replace = !functions_.empty() && chance(30);
    const auto name = replace ? functions_[below(functions_.size())] : fresh("f");
    if (!replace) functions_.push_back(name);
    return fmt::format(
        "create {}function {}() returns trigger language plpgsql as $$ begin {}return new; end $$",
        replace ? "or replace " : "", name, chance(50) ? "new := new; " : "");
  }

  std::optional<std::string> create_trigger() {
    if (functions_.empty() || tables_.empty()) return std::nullopt;
    const auto& t = tables_[below(tables_.size())];
    Trigger g{fresh("g"), t.id, functions_[below(functions_.size())]};
    static const std::vector<std::string> events{"insert", "update", "insert or update"};
    auto sql = fmt::format("create trigger {} {} {} on {} for each row execute function {}()",
                           g.name, chance(50) ? "before" : "after", events[below(events.size())],
                           t.name, g.function);
    triggers_.push_back(std::move(g));
    return sql;
  }

  std::optional<std::string> drop_trigger() {
    if (triggers_.empty()) return std::nullopt;
    const auto i = below(triggers_.size());
    const auto sql = fmt::format("drop trigger {} on {}", triggers_[i].name,
                                 find_table(triggers_[i].table)->name);
    triggers_.erase(triggers_.begin() + i);
    return sql;
  }

  std::optional<std::string> drop_function() {
    if (functions_.empty()) return std::nullopt;
    const auto i = below(functions_.size());
    for (const auto& g : triggers_)
      if (g.function == functions_[i]) return std::nullopt;
    const auto name = functions_[i];
    functions_.erase(functions_.begin() + i);
    std::erase(revoked_functions_, name);
    return "drop function " + name;
  }

  // EXECUTE on a function taken from or given back to public, or USAGE on a sequence given
  // to or taken from it.
  std::optional<std::string> routine_access() {
    if (!functions_.empty() && chance(50)) {
      const auto& f = functions_[below(functions_.size())];
      if (std::erase(revoked_functions_, f))
        return fmt::format("grant execute on function {} to public", f);
      revoked_functions_.push_back(f);
      return fmt::format("revoke execute on function {}{} from public", f, chance(50) ? "()" : "");
    }
    if (sequences_.empty()) return std::nullopt;
    auto& q = sequences_[below(sequences_.size())];
    q.granted = !q.granted;
    return q.granted ? fmt::format("grant usage, select on sequence {} to public", q.name)
                     : fmt::format("revoke all on sequence {} from public", q.name);
  }

  // Select on every table and view of schema public granted to public or revoked, or usage
  // on all its sequences (every table has an identity or serial one).
  std::optional<std::string> all_in_schema() {
    std::vector<Table*> in_public;
    for (auto& t : tables_)
      if (t.name.find('.') == std::string::npos) in_public.push_back(&t);
    if (in_public.empty()) return std::nullopt;
    if (chance(50))
      return chance(60) ? "grant usage on all sequences in schema public to public"
                        : "revoke usage on all sequences in schema public from public";
    const bool revoke = chance(40);
    for (auto* t : in_public) {
      std::erase(t->granted, "select");
      if (!revoke) t->granted.push_back("select");
    }
    return revoke ? "revoke select on all tables in schema public from public"
                  : "grant select on all tables in schema public to public";
  }

  std::optional<std::string> row_security() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    t.row_security = !t.row_security;
    return fmt::format("alter table {} {} row level security", t.name,
                       t.row_security ? "enable" : "disable");
  }

  std::optional<std::string> create_policy() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    const auto name = fresh("p");
    t.policies.push_back(name);
    static const std::vector<std::string> clauses{"using (true)", "for select using (id > 0)",
                                                  "as restrictive for update using (id > 0)",
                                                  "for insert to public with check (id > 0)"};
    return fmt::format("create policy {} on {} {}", name, t.name, clauses[below(clauses.size())]);
  }

  // A random table and an entry of its `list`, taken out of it; nullopt when there is none.
  std::optional<std::pair<const Table*, std::string>> take_from(
      std::vector<std::string> Table::*list) {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    auto& entries = t.*list;
    if (entries.empty()) return std::nullopt;
    const auto i = below(entries.size());
    auto entry = entries[i];
    entries.erase(entries.begin() + i);
    return std::pair{&t, std::move(entry)};
  }

  std::optional<std::string> drop_policy() {
    const auto taken = take_from(&Table::policies);
    if (!taken) return std::nullopt;
    return fmt::format("drop policy {} on {}", taken->second, taken->first->name);
  }

  std::optional<std::string> grant() {
    if (tables_.empty()) return std::nullopt;
    auto& t = tables_[below(tables_.size())];
    static const std::vector<std::string> privileges{"select", "insert", "update", "delete"};
    std::string list;
    for (const auto& p : privileges)
      if (chance(50)) {
        list += (list.empty() ? "" : ", ") + p;
        if (std::find(t.granted.begin(), t.granted.end(), p) == t.granted.end())
          t.granted.push_back(p);
      }
    if (list.empty()) return std::nullopt;
    return fmt::format("grant {} on {} to public", list, t.name);
  }

  std::optional<std::string> revoke() {
    const auto taken = take_from(&Table::granted);
    if (!taken) return std::nullopt;
    return fmt::format("revoke {} on {} from public", taken->second, taken->first->name);
  }

  std::vector<std::string> inserts() {
    std::vector<std::string> out;
    for (auto& t : tables_) {
      if (!chance(60)) continue;
      const int rows = 1 + below(2);
      t.rows += rows;
      std::string columns, values;
      for (const auto& c : t.columns)
        if (!c.key) columns += (columns.empty() ? "" : ", ") + c.name;
      if (columns.empty()) {
        for (int r = 0; r < rows; ++r)
          out.push_back(fmt::format("INSERT INTO {} DEFAULT VALUES", t.name));
        continue;
      }
      for (int r = 0; r < rows; ++r) {
        std::string row;
        for (const auto& c : t.columns) {
          if (c.key) continue;
          const auto value = c.references  ? std::string("NULL")
                             : c.enum_type ? fmt::format("'{}'", find_enum(c.enum_type)->row_value)
                             : c.family == Family::Integer
                                 ? fmt::format("{}", 1000000 + next_value_++)
                                 : fmt::format("'s{}'", next_value_++);
          row += (row.empty() ? "" : ", ") + value;
        }
        values += fmt::format("{}({})", values.empty() ? "" : ", ", row);
      }
      out.push_back(fmt::format("INSERT INTO {} ({}) VALUES {}", t.name, columns, values));
    }
    return out;
  }

  std::mt19937_64 random_;
  std::vector<Table> tables_;
  std::vector<std::string> free_table_names_;
  std::vector<Sequence> sequences_;
  std::vector<Enum> enums_;
  std::vector<View> views_;
  std::vector<std::string> functions_;
  std::vector<std::string> revoked_functions_;  // public may not execute these
  std::vector<Trigger> triggers_;
  std::vector<Schema> schemas_;
  std::vector<Extension> extensions_;
  std::vector<Partitioned> partitioned_;
  int next_enum_ = 1;
  int next_table_ = 1;
  int next_column_ = 1;
  int next_name_ = 1;
  int next_value_ = 1;
};

}  // namespace

std::vector<RandomMigration> random_history(std::uint64_t seed, int length) {
  return Generator(seed).history(length);
}

}  // namespace mig::test
