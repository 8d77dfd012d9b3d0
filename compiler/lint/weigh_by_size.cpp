#include "compiler/lint/weigh_by_size.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compiler/lint/registry.hpp"
#include "plan/lock_mode.hpp"

namespace mig {

namespace {

bool grows_with_table(const Finding& f) {
  const auto* rule = find_rule(f.rule);
  return rule && rule->grows_with_table();
}

const CompiledMigration* migration_of(const LintResult& result, const SourceFile* file) {
  for (const auto* list : {&result.compilation.migrations, &result.sql_migrations})
    for (const auto& m : *list)
      if (m.source.get() == file) return &m;
  return nullptr;
}

// How a statement works through a whole table, from the lightest to the heaviest.
enum class Work { None, Scan, IndexBuild, Rewrite };

// Whether the statement builds an index on `table`: its scan also sorts and writes.
bool builds_index(const PlannedStatement& s, const TableName& table) {
  const auto is = [&](const ObjectName& t) { return TableName{t.schema, t.name} == table; };
  bool builds = false;
  each<IndexBuilt>(s, [&](const IndexBuilt& e) { builds |= is(e.table); });
  each<Reindexed>(s, [&](const Reindexed& e) { builds |= e.table && is(*e.table); });
  each<ConstraintAdded>(s, [&](const ConstraintAdded& e) {
    builds |= is(e.table) && !e.using_index &&
              (e.kind == ConstraintKind::PrimaryKey || e.kind == ConstraintKind::Unique);
  });
  return builds;
}

// A table the finding's statement locks, with the strongest lock it takes there and the
// heaviest work a step does through it (the first table a step locks is the one it alters).
struct LockedTable {
  TableName name;
  LockMode mode = LockMode::AccessShare;
  Work work = Work::None;
};

std::vector<LockedTable> locked_tables(const LintResult& result, const Finding& f) {
  std::vector<LockedTable> tables;
  const auto* m = migration_of(result, f.file);
  if (!m) return tables;
  // A `sql { }` block's statements share their statement number: the one at the finding.
  std::vector<const PlannedStatement*> statements;
  for (const auto& s : m->statements)
    if (s.what.statement == f.statement) statements.push_back(&s);
  const auto at = std::find_if(statements.begin(), statements.end(), [&](const auto* s) {
    return s->what.span.begin <= f.span.begin && f.span.begin < s->what.span.end;
  });
  if (at != statements.end()) statements = {*at};
  for (const auto* s : statements)
    for (auto i = s->first_step; i < s->end_step; ++i) {
      const auto& facts = m->plan.up[i].lock;
      for (const auto& lock : facts.locks) {
        const TableName name{lock.schema, lock.table};
        auto it = std::find_if(tables.begin(), tables.end(),
                               [&](const LockedTable& t) { return t.name == name; });
        if (it == tables.end()) it = tables.insert(tables.end(), {name, lock.mode});
        it->mode = std::max(it->mode, lock.mode);
        if (&lock != &facts.locks.front()) continue;
        const auto work = facts.rewrites_table     ? Work::Rewrite
                          : !facts.scans_table     ? Work::None
                          : builds_index(*s, name) ? Work::IndexBuild
                                                   : Work::Scan;
        it->work = std::max(it->work, work);
      }
    }
  return tables;
}

// PostgreSQL's pg_size_pretty: 16 kB, 52 GB.
std::string bytes_text(long long bytes) {
  static const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 10 * 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{} {}", std::llround(value), units[unit]);
}

std::string rows_text(const std::optional<double>& rows) {
  if (!rows) return "rows not counted yet (never analyzed)";
  const double n = *rows;
  if (n >= 1e9) return fmt::format("~{:.3g}G rows", n / 1e9);
  if (n >= 1e6) return fmt::format("~{:.3g}M rows", n / 1e6);
  if (n >= 1e4) return fmt::format("~{:.3g}k rows", n / 1e3);
  return fmt::format("~{} {}", std::llround(n), std::llround(n) == 1 ? "row" : "rows");
}

std::string duration_text(double seconds) {
  if (seconds < 1) return "under a second";
  if (seconds < 90) return fmt::format("roughly {} s", std::llround(seconds));
  if (seconds < 90 * 60) return fmt::format("roughly {} min", std::llround(seconds / 60));
  return fmt::format("roughly {:.2g} h", seconds / 3600);
}

bool is_small(const TableSize& size, const TableSizeSettings& settings) {
  return (!size.rows || *size.rows <= static_cast<double>(settings.small_rows)) &&
         size.total_bytes <= settings.small_bytes;
}

// `public.users: ~48 rows, 16 kB`, and for a table the statement scans or rewrites, how
// long that likely holds its lock.
std::string size_text(const LockedTable& t, const TableSize& size,
                      const TableSizeSettings& settings) {
  auto text = fmt::format("{}.{}: {}, {}", t.name.first, t.name.second, rows_text(size.rows),
                          bytes_text(size.total_bytes));
  if (is_small(size, settings) || t.work == Work::None) return text;
  const auto rate = t.work == Work::Rewrite      ? settings.rewrite_mb_per_s
                    : t.work == Work::IndexBuild ? settings.index_mb_per_s
                                                 : settings.scan_mb_per_s;
  const auto what = t.work == Work::Rewrite      ? "a rewrite"
                    : t.work == Work::IndexBuild ? "the index build"
                                                 : "the scan";
  const auto bytes = t.work == Work::Rewrite ? size.total_bytes : size.heap_bytes;
  return text + fmt::format(": {} holds {} for {} at {} MB/s", what, to_string(t.mode),
                            duration_text(static_cast<double>(bytes) / (rate * (1 << 20))), rate);
}

}  // namespace

std::vector<TableName> tables_to_weigh(const LintResult& result) {
  std::vector<TableName> names;
  for (const auto& f : result.findings)
    if (grows_with_table(f))
      for (const auto& t : locked_tables(result, f))
        if (std::find(names.begin(), names.end(), t.name) == names.end()) names.push_back(t.name);
  return names;
}

void weigh_by_size(LintResult& result, const TableSizes& sizes, const TableSizeSettings& settings) {
  for (auto& f : result.findings) {
    if (!grows_with_table(f)) continue;
    std::vector<std::string> texts;
    bool all_small = true;
    for (const auto& t : locked_tables(result, f)) {
      const auto size = sizes.find(t.name);
      if (size == sizes.end()) {  // not in that database: created by the history
        all_small = false;
        continue;
      }
      texts.push_back(size_text(t, size->second, settings));
      all_small = all_small && is_small(size->second, settings);
    }
    if (texts.empty()) continue;
    f.message += "; " + fmt::format("{}", fmt::join(texts, "; "));
    if (all_small) {
      f.message += ": small in this database, so a note";
      f.severity = Severity::Note;
    }
  }
}

}  // namespace mig
