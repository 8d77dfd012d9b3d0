#include "cli/lint_markdown.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/batch_statement.hpp"

namespace mig::cli {

namespace {

// SQL of more lines than this is folded in <details>, so that a long migration does not
// bury the others.
constexpr std::size_t kOpenSqlLines = 12;

// Markdown for one line of text that may hold code spans (`users_email_idx`): code spans as
// they are; elsewhere HTML and markdown's own characters escaped, so that `a <> b` or `*` in
// a message shows as written. In a table cell `|` is escaped in code spans too (GFM's table
// parser reads it first). Unbalanced backticks are text.
std::string markdown_line(std::string_view text, bool in_table) {
  const bool balanced = std::count(text.begin(), text.end(), '`') % 2 == 0;
  std::string out;
  bool in_code = false;
  for (const char c : text) {
    if (c == '`' && balanced) {
      in_code = !in_code;
      out += c;
    } else if (c == '\r') {
      continue;
    } else if (c == '|' && in_table) {
      out += "\\|";
    } else if (in_code) {
      out += c;
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (std::string_view("\\`*_[]~|").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (const char c : text) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  return longest;
}

// A code span that holds any text: a name with backticks or `|` in it included.
std::string code(std::string_view text, bool in_table = true) {
  const std::string ticks(longest_backtick_run(text) + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  std::string out = ticks + (pad ? " " : "");
  for (const char c : text) {
    if (c == '\n' || c == '\r')
      out += ' ';
    else if (c == '|' && in_table)
      out += "\\|";
    else
      out += c;
  }
  return out + (pad ? " " : "") + ticks;
}

// Markdown for a message or help text: lines as markdown_line, joined by <br> in a table
// cell; a line indented by four spaces, the code a help text shows to write, as code.
std::string markdown(std::string_view text, bool in_table = true) {
  std::string out;
  for (std::size_t begin = 0; begin <= text.size();) {
    const auto end = std::min(text.find('\n', begin), text.size());
    const auto line = text.substr(begin, end - begin);
    if (begin) out += in_table ? "<br>" : " ";
    out += line.starts_with("    ") ? code(line.substr(line.find_first_not_of(' ')), in_table)
                                    : markdown_line(line, in_table);
    begin = end + 1;
  }
  return out;
}

std::string_view level(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

std::string_view icon(Severity s) {
  return s == Severity::Error     ? ":x:"
         : s == Severity::Warning ? ":warning:"
                                  : ":information_source:";
}

std::string counted(std::size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// A compile diagnostic or a finding, with the statement a finding is about.
struct Entry {
  Diagnostic diagnostic;
  const Fix* fix = nullptr;
  std::optional<int> statement;
};

// One file of the report: a migration or a plain SQL file, or a file the compiler reported
// on that is neither (a stray file, a migration not reported).
struct Section {
  std::string path;
  const CompiledMigration* migration = nullptr;  // null when it is neither
  bool compiled = false;                         // its steps are known
  std::vector<Entry> entries;
  // Per step, per lock: whether the table was created earlier in the same migration, so
  // that no one else can be using it.
  std::vector<std::vector<bool>> on_new_table;
};

std::vector<std::vector<bool>> locks_on_new_tables(const CompiledMigration& m) {
  std::vector<std::vector<bool>> out(m.plan.up.size());
  NewTables created;
  for (const auto& s : m.statements) {
    each<TableCreated>(s, [&](const TableCreated& e) { created.add(e.table); });
    for (auto i = s.first_step; i < s.end_step; ++i)
      for (const auto& l : m.plan.up[i].lock.locks)
        out[i].push_back(created.contains({l.schema, l.table}));
    each<TableRenamed>(s, [&](const TableRenamed& e) {
      if (created.contains(e.table)) created.add({e.table.schema, e.new_name});
    });
  }
  return out;
}

std::vector<Section> sections_of(const LintResult& result,
                                 const std::function<bool(const SourceFile&)>& reported) {
  std::vector<Section> sections;
  std::map<const SourceFile*, std::size_t> by_file;
  const auto add = [&](const CompiledMigration& m, bool compiled) {
    if (reported && !reported(*m.source)) return;
    by_file.emplace(m.source.get(), sections.size());
    sections.push_back({m.source->path(), &m, compiled, {}, locks_on_new_tables(m)});
  };
  // The compiler stops at the first migration with an error: that one and those after it
  // have no steps, or only some.
  const auto& diagnostics = result.compilation.diagnostics;
  for (const auto& m : result.compilation.migrations)
    add(m, !m.statements.empty() &&
               std::none_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
                 return d.severity == Severity::Error && d.file == m.source.get();
               }));
  for (const auto& m : result.sql_migrations) add(m, true);
  const auto place = [&](Entry e) {
    auto at = by_file.find(e.diagnostic.file);
    if (at == by_file.end()) {
      at = by_file.emplace(e.diagnostic.file, sections.size()).first;
      sections.push_back(
          {e.diagnostic.file ? e.diagnostic.file->path() : "", nullptr, false, {}, {}});
    }
    sections[at->second].entries.push_back(std::move(e));
  };
  for (const auto& d : result.compilation.diagnostics) place({d, nullptr, std::nullopt});
  for (const auto& f : result.findings)
    place({to_diagnostic(f), f.fix ? &*f.fix : nullptr, f.statement});
  return sections;
}

using StepRange = std::pair<std::size_t, std::size_t>;  // [first, end) of plan.up

// The steps a finding is about: those of its statement, or of the one that holds it when
// several share its number (the statements of a `sql { }` block do).
std::optional<StepRange> steps_of(const CompiledMigration& m, const Entry& e) {
  if (!e.statement) return std::nullopt;
  std::optional<StepRange> all, holding;
  const auto widen = [](std::optional<StepRange>& range, const PlannedStatement& s) {
    if (s.first_step == s.end_step) return;
    range =
        range ? StepRange{std::min(range->first, s.first_step), std::max(range->second, s.end_step)}
              : StepRange{s.first_step, s.end_step};
  };
  for (const auto& s : m.statements) {
    if (s.what.statement != *e.statement) continue;
    widen(all, s);
    if (s.what.span.begin <= e.diagnostic.span.begin && e.diagnostic.span.begin < s.what.span.end)
      widen(holding, s);
  }
  return holding ? holding : all;
}

struct WorstLock {
  TableLock lock;
  std::string file;
  std::size_t step = 0;
};

std::optional<WorstLock> worst_lock(const std::vector<Section>& sections) {
  std::optional<WorstLock> worst;
  for (const auto& s : sections) {
    if (!s.compiled) continue;
    const auto& steps = s.migration->plan.up;
    for (std::size_t i = 0; i < steps.size(); ++i)
      for (std::size_t j = 0; j < steps[i].lock.locks.size(); ++j) {
        const auto& l = steps[i].lock.locks[j];
        if (!s.on_new_table[i][j] && (!worst || l.mode > worst->lock.mode))
          worst = WorstLock{l, s.path, i + 1};
      }
  }
  return worst;
}

std::string_view blocked(LockMode mode) {
  return blocks_reads(mode) ? "reads and writes" : blocks_writes(mode) ? "writes" : "neither";
}

void write_summary(const std::vector<Section>& sections, std::ostream& out) {
  std::size_t errors = 0, warnings = 0, notes = 0;
  for (const auto& s : sections)
    for (const auto& e : s.entries) {
      errors += e.diagnostic.severity == Severity::Error;
      warnings += e.diagnostic.severity == Severity::Warning;
      notes += e.diagnostic.severity == Severity::Note;
    }
  std::string findings = "no findings";
  if (const auto total = errors + warnings + notes) {
    std::vector<std::string> kinds;
    if (errors) kinds.push_back(counted(errors, "error"));
    if (warnings) kinds.push_back(counted(warnings, "warning"));
    if (notes) kinds.push_back(counted(notes, "note"));
    findings = fmt::format("{} ({})", counted(total, "finding"), fmt::join(kinds, ", "));
  }
  std::string lock = "no lock on an existing table";
  if (const auto worst = worst_lock(sections))
    lock = fmt::format("worst lock {} on {} (blocks {}), {} step {}", to_string(worst->lock.mode),
                       code(worst->lock.display(), false), blocked(worst->lock.mode),
                       code(std::filesystem::path(worst->file).filename().string(), false),
                       worst->step);
  const auto files = std::count_if(sections.begin(), sections.end(),
                                   [](const Section& s) { return !s.path.empty(); });
  out << fmt::format("**mig lint**: {}, {}; {}\n\n", counted(files, "migration"), findings, lock);
}

std::string step_label(const StepRange& r) {
  return r.second - r.first == 1 ? fmt::format("{}", r.first + 1)
                                 : fmt::format("{}–{}", r.first + 1, r.second);
}

void write_steps(const Section& s, std::ostream& out) {
  const auto& steps = s.migration->plan.up;
  out << "| step | what runs | transaction | lock | blocks | rewrites / scans | findings |\n"
         "|---:|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    std::vector<std::string> locks, blocks, findings;
    for (std::size_t j = 0; j < step.lock.locks.size(); ++j) {
      const auto& l = step.lock.locks[j];
      const bool new_table = s.on_new_table[i][j];
      locks.push_back(fmt::format("{} on {}{}", to_string(l.mode), code(l.display()),
                                  new_table ? " (new table)" : ""));
      blocks.push_back(new_table ? "nobody" : std::string(blocked(l.mode)));
    }
    for (const auto& e : s.entries)
      if (const auto r = steps_of(*s.migration, e); r && r->first <= i && i < r->second)
        findings.push_back(
            fmt::format("{} {}", icon(e.diagnostic.severity),
                        code(e.diagnostic.rule.empty() ? "compile error" : e.diagnostic.rule)));
    out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", i + 1, markdown(step.description),
                       step.transaction ? std::to_string(*step.transaction) : "alone",
                       locks.empty() ? "none" : fmt::format("{}", fmt::join(locks, "<br>")),
                       blocks.empty() ? "nothing" : fmt::format("{}", fmt::join(blocks, "<br>")),
                       step.lock.rewrites_table ? "rewrites"
                       : step.lock.scans_table  ? "scans"
                                                : "no",
                       fmt::join(findings, "<br>"));
  }
  out << "\n";
}

// Each step headed by a comment; a backfill as the statement each of its batches runs.
void write_sql(const PlanMigration& plan, std::ostream& out) {
  std::string sql;
  for (std::size_t i = 0; i < plan.up.size(); ++i) {
    const auto& step = plan.up[i];
    std::string description = step.description;
    std::replace(description.begin(), description.end(), '\n', ' ');
    sql +=
        fmt::format("{}-- step {}: {}\n{};\n", i ? "\n" : "", i + 1, description,
                    step.backfill ? batch_change_sql(*step.backfill, "$last", "$next") : step.sql);
  }
  const std::string fence(std::max<std::size_t>(3, longest_backtick_run(sql) + 1), '`');
  const auto lines = static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '\n'));
  const bool folded = lines > kOpenSqlLines;
  if (folded) out << fmt::format("<details><summary>SQL, {}</summary>\n\n", counted(lines, "line"));
  out << fence << "sql\n" << sql << fence << "\n\n";
  if (folded) out << "</details>\n\n";
}

// The steps and their SQL, or why they are not known.
void write_what_runs(const Section& s, std::ostream& out) {
  const bool failed = std::any_of(s.entries.begin(), s.entries.end(), [](const Entry& e) {
    return e.diagnostic.severity == Severity::Error && e.diagnostic.rule.empty();
  });
  if (failed && (!s.compiled || s.migration->plan.up.empty())) {
    out << "It does not compile, so the steps it would run are not known.\n\n";
  } else if (!s.compiled) {
    out << "Not compiled: the compiler stopped at an error before it.\n\n";
  } else if (s.migration->plan.up.empty()) {
    out << "Nothing runs.\n\n";
  } else {
    write_steps(s, out);
    write_sql(s.migration->plan, out);
  }
}

void write_findings(const Section& s, std::ostream& out) {
  if (s.entries.empty()) {
    out << "No findings.\n\n";
    return;
  }
  out << "| | where | step | rule | finding | what to do |\n"
         "|---|---|---|---|---|---|\n";
  for (const auto& e : s.entries) {
    const auto& d = e.diagnostic;
    const auto at = d.file ? d.file->position(d.span.begin) : LineColumn{};
    const auto steps = s.compiled ? steps_of(*s.migration, e) : std::nullopt;
    std::string help = markdown(d.help);
    if (e.fix)
      help += fmt::format("{}`mig lint --fix`: {}", help.empty() ? "" : "<br>",
                          markdown(e.fix->description));
    out << fmt::format("| {} {} | {} | {} | {} | {} | {} |\n", icon(d.severity), level(d.severity),
                       d.file ? fmt::format("{}:{}", at.line, at.column) : "",
                       steps ? step_label(*steps) : "",
                       d.rule.empty() ? "compile error" : code(d.rule), markdown(d.message), help);
  }
  out << "\n";
}

}  // namespace

void write_markdown(const LintResult& result,
                    const std::function<bool(const SourceFile&)>& reported, std::ostream& out) {
  const auto sections = sections_of(result, reported);
  write_summary(sections, out);
  for (const auto& s : sections) {
    out << "### "
        << (s.path.empty() ? std::string("The migrations directory") : code(s.path, false))
        << "\n\n";
    if (s.migration) write_what_runs(s, out);
    write_findings(s, out);
  }
}

}  // namespace mig::cli
