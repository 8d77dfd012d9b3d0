#include "compiler/lint/linter.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "compiler/effects/sql_effects.hpp"
#include "compiler/lint/lint_support.hpp"
#include "compiler/lint/registry.hpp"
#include "compiler/source/encoding.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace mig {

namespace fs = std::filesystem;

void LintContext::report(Span span, int statement, std::string message, std::string help,
                         std::optional<Fix> fix) const {
  out_.push_back({std::string(rule_.id()), rule_.severity(), migration.source.get(), span,
                  statement, std::move(message), std::move(help), std::move(fix)});
}

bool LintResult::has_errors() const {
  return mig::has_errors(compilation.diagnostics) ||
         std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::Error; });
}

bool LintResult::has_warnings() const {
  const auto warning = [](const auto& d) { return d.severity == Severity::Warning; };
  return std::any_of(findings.begin(), findings.end(), warning) ||
         std::any_of(compilation.diagnostics.begin(), compilation.diagnostics.end(), warning);
}

Diagnostic to_diagnostic(const Finding& f) {
  return {f.severity, f.file, f.span, f.message, f.help, f.rule};
}

namespace {

// Runs the enabled rules over each migration the compiler has planned.
class Session {
 public:
  explicit Session(const LintOptions& options) : options_(options) {
    for (const auto& rule : all_rules()) {
      const auto configured = options.severities.find(std::string(rule->id()));
      if (configured == options.severities.end()) {
        rules_.push_back({rule.get(), rule->severity()});
      } else if (configured->second) {
        rules_.push_back({rule.get(), *configured->second});
      }
    }
    if (const auto configured = options.severities.find(std::string(kUnusedAllow));
        configured != options.severities.end())
      unused_allow_ = configured->second;
  }

  void on_migration(const CompiledMigration& m, const SchemaModel& after) {
    new_tables_.clear();
    for (const auto& s : m.statements) {
      each<TableCreated>(s, [&](const TableCreated& e) { new_tables_.add(e.table); });
      for (const auto& [rule, severity] : rules_) {
        const auto first = pending_.size();
        rule->check(LintContext(*rule, m, options_.settings, new_tables_, pending_), s);
        for (auto i = first; i < pending_.size(); ++i) pending_[i].severity = severity;
      }
      each<TableRenamed>(s, [&](const TableRenamed& e) {
        if (new_tables_.contains(e.table)) new_tables_.add({e.table.schema, e.new_name});
      });
    }
    for (const auto& [rule, severity] : rules_) {
      const auto first = pending_.size();
      rule->check_migration(LintContext(*rule, m, options_.settings, new_tables_, pending_), after);
      for (auto i = first; i < pending_.size(); ++i) pending_[i].severity = severity;
    }
    suppress(m);
  }

  std::vector<Finding> take() { return std::move(findings_); }

 private:
  // Drops findings an `@allow` covers; reports allows that cover nothing.
  void suppress(const CompiledMigration& m) {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Finding& a, const Finding& b) {
      return a.span.begin < b.span.begin;
    });
    const auto first = findings_.size();
    std::vector<bool> used(m.parsed.allows.size(), false);
    for (auto& f : pending_) {
      bool allowed = false;
      for (std::size_t i = 0; i < m.parsed.allows.size(); ++i) {
        const auto& a = m.parsed.allows[i];
        if (a.rule == f.rule && a.statement == f.statement) allowed = used[i] = true;
      }
      if (!allowed) findings_.push_back(std::move(f));
    }
    pending_.clear();
    for (std::size_t i = 0; i < m.parsed.allows.size(); ++i) {
      if (used[i]) continue;
      const auto& a = m.parsed.allows[i];
      const bool known = find_rule(a.rule) != nullptr;
      // An allow of a rule the project turned off is moot, not stale: it matters again
      // when the rule is turned back on.
      if (known && !enabled(a.rule)) continue;
      if (known && !unused_allow_) continue;
      findings_.push_back({std::string(kUnusedAllow), known ? *unused_allow_ : Severity::Error,
                           m.source.get(), a.span, a.statement,
                           known ? fmt::format("`@allow({})` suppresses nothing here", a.rule)
                                 : fmt::format("unknown rule `{}`", a.rule),
                           known ? "remove it, so that the rule guards this statement again"
                                 : "`mig explain` lists the rules",
                           std::nullopt});
    }
    std::stable_sort(
        findings_.begin() + first, findings_.end(),
        [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
  }

  bool enabled(std::string_view id) const {
    return std::any_of(rules_.begin(), rules_.end(),
                       [&](const auto& r) { return r.first->id() == id; });
  }

  const LintOptions& options_;
  std::vector<std::pair<const Rule*, Severity>> rules_;
  std::optional<Severity> unused_allow_ = Severity::Warning;  // nullopt: not reported
  NewTables new_tables_;
  std::vector<Finding> pending_;  // of the current migration, before suppression
  std::vector<Finding> findings_;
};

CompileOptions observe(Session& session, const LintOptions& options) {
  CompileOptions c;
  c.target_pg_version = options.settings.pg_version;
  c.downgrades = false;
  c.keep_statements = true;  // the Markdown report shows them
  c.migration_observer = [&](const CompiledMigration& m, const SchemaModel& after) {
    session.on_migration(m, after);
  };
  return c;
}

// `-- mig:allow RULE REASON` comments in `text`, which starts at `offset` of its file.
// Read by hand: std::regex recurses per character and overflows the stack on long lines.
std::vector<Allow> allow_comments(std::string_view text, std::size_t offset) {
  std::vector<Allow> allows;
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  for (auto at = text.find("--"); at != std::string_view::npos; at = text.find("--", at + 2)) {
    const auto line_end = std::min(text.find('\n', at), text.size());
    auto i = at + 2;
    while (i < line_end && blank(text[i])) ++i;
    if (text.substr(i, 9) != "mig:allow") continue;
    i += 9;
    const auto rule_start = i;
    while (i < line_end && blank(text[i])) ++i;
    if (i == rule_start) continue;
    const auto rule_begin = i;
    while (i < line_end && (std::islower(static_cast<unsigned char>(text[i])) ||
                            std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '-'))
      ++i;
    const auto rule_end = i;
    while (i < line_end && blank(text[i])) ++i;
    auto reason_end = line_end;
    if (reason_end > i && text[reason_end - 1] == '\r') --reason_end;
    if (rule_end == rule_begin || i == rule_end || i >= reason_end) continue;
    allows.push_back({std::string(text.substr(rule_begin, rule_end - rule_begin)),
                      std::string(text.substr(i, reason_end - i)),
                      {offset + at, offset + reason_end},
                      0});
    at = line_end;
  }
  return allows;
}

// A statement of a plain SQL file that PostgreSQL's parser refused. Where the target is a
// newer PostgreSQL, its syntax may simply be newer than the parser's: a warning, so that
// the rest of the file is still linted in CI, and `--deny-warnings` still fails on it.
// Otherwise PostgreSQL would refuse it too: an error.
Diagnostic unparsed_statement(const SqlError& e, const SourceFile& file, int target_pg_version) {
  const bool maybe_newer = e.syntax && target_pg_version > kParserPgVersion;
  std::string help = "mig checked the other statements of the file, not this one";
  if (maybe_newer)
    help += "; `--deny-warnings` fails on it";
  else if (e.syntax)
    help +=
        "; if the file is for a newer PostgreSQL, say so with `pg_version` in mig.toml "
        "(or `--pg-version`) and this becomes a warning";
  return {.severity = maybe_newer ? Severity::Warning : Severity::Error,
          .file = &file,
          .span = {e.offset, e.offset + 1},
          .message = sql_error_message(e, target_pg_version),
          .help = std::move(help),
          .rule = {}};
}

}  // namespace

LintResult lint_migrations(const fs::path& dir, const LintOptions& options) {
  Session session(options);
  LintResult result;
  result.compilation = compile_directory(dir, observe(session, options));
  result.findings = session.take();
  return result;
}

LintResult lint_migration_sources(std::vector<SourceText> sources, const LintOptions& options) {
  Session session(options);
  LintResult result;
  result.compilation = compile_sources(std::move(sources), observe(session, options));
  result.findings = session.take();
  return result;
}

namespace {

SqlFileResult lint_sql_file(const fs::path& path, const LintOptions& options) {
  SqlFileResult result;
  auto& m = result.migration;
  m.name = path.filename().string();
  auto source =
      std::make_unique<SourceFile>(path.string(), without_byte_order_mark(read_source(path)));
  if (auto error = encoding_error(*source)) {
    result.diagnostics.push_back(std::move(*error));
    m.source = std::move(source);
    return result;
  }
  auto statements = parse_script(source->text());
  const SchemaModel nothing_known;
  // Where each statement runs: the file's one transaction (unless it says otherwise), or
  // none after an explicit COMMIT until the next BEGIN.
  int transaction = 1;
  bool in_transaction = !source->text().starts_with("-- mig:no-transaction");
  std::size_t previous_end = 0;
  for (auto& s : statements) {
    const int index = static_cast<int>(m.statements.size());
    // `-- mig:allow` comments between the previous statement and this one
    const auto gap = source->text().substr(previous_end, s.offset - previous_end);
    const auto gap_begin = std::exchange(previous_end, s.offset + s.text.size());
    if (const auto* e = std::get_if<SqlError>(&s.tree)) {
      // Only this statement goes unchecked, with the comments that would suppress findings
      // on it.
      result.diagnostics.push_back(unparsed_statement(*e, *source, options.settings.pg_version));
      continue;
    }
    for (auto a : allow_comments(gap, gap_begin)) {
      a.statement = index;
      m.parsed.allows.push_back(std::move(a));
    }
    PlanStep step;
    step.description = sql_step_description(s.text);
    step.sql = std::move(s.text);
    auto effects = sql_effects(std::get<nlohmann::json>(s.tree), nothing_known);
    set_step_facts(step, effects);
    for (const auto& e : effects)
      if (const auto* control = std::get_if<TransactionControl>(&e)) {
        if (control->begins && !in_transaction) ++transaction;
        in_transaction = control->begins;
      }
    step.transaction = in_transaction ? std::optional(transaction) : std::nullopt;
    m.plan.up.push_back(std::move(step));
    m.statements.push_back({{{s.offset, previous_end}, index, Form::PlainSql, std::move(effects)},
                            m.plan.up.size() - 1,
                            m.plan.up.size(),
                            {}});
  }
  m.source = std::move(source);
  Session session(options);
  session.on_migration(m, nothing_known);
  result.findings = session.take();
  return result;
}

}  // namespace

void lint_sql_files(const std::vector<fs::path>& paths, const LintOptions& options,
                    const std::function<void(SqlFileResult)>& take) {
  // Files are independent: workers take the next file until none is left, and hand over
  // the results in the order given, so the output does not depend on the number of jobs.
  std::vector<std::optional<SqlFileResult>> done(paths.size());
  std::vector<std::exception_ptr> failed(paths.size());
  std::atomic<std::size_t> next = 0;
  std::mutex handing;
  std::size_t handed = 0;      // under `handing`
  std::exception_ptr stopped;  // the first failure, under `handing`
  const auto work = [&] {
    for (auto i = next++; i < paths.size(); i = next++) {
      std::optional<SqlFileResult> result;
      std::exception_ptr failure;
      try {
        result = lint_sql_file(paths[i], options);
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard lock(handing);
      done[i] = std::move(result);
      failed[i] = failure;
      for (; !stopped && handed < paths.size() && (done[handed] || failed[handed]); ++handed) {
        stopped = failed[handed];
        try {
          if (!stopped) take(std::move(*done[handed]));
          done[handed].reset();
        } catch (...) {
          stopped = std::current_exception();
        }
      }
      if (stopped) next = paths.size();
    }
  };
  const auto jobs = std::min<std::size_t>(
      options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency()),
      paths.size());
  std::vector<std::jthread> workers;
  for (std::size_t j = 1; j < jobs; ++j) workers.emplace_back(work);
  work();
  workers.clear();
  if (stopped) std::rethrow_exception(stopped);
}

LintResult lint_sql_files(const std::vector<fs::path>& paths, const LintOptions& options) {
  LintResult result;
  lint_sql_files(paths, options, [&](SqlFileResult file) {
    auto& diagnostics = result.compilation.diagnostics;
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(file.diagnostics.begin()),
                       std::make_move_iterator(file.diagnostics.end()));
    result.findings.insert(result.findings.end(), std::make_move_iterator(file.findings.begin()),
                           std::make_move_iterator(file.findings.end()));
    result.sql_migrations.push_back(std::move(file.migration));
  });
  return result;
}

namespace {

// [table_size]: small_rows, small_mb and the three throughputs of TableSizeSettings.
void read_table_size_settings(
    const toml::table& table, TableSizeSettings& settings,
    const std::function<std::runtime_error(const toml::source_region&, const std::string&)>& fail) {
  for (const auto& [key, value] : table) {
    const auto number = value.value<double>();
    const bool may_be_zero = key == "small_rows" || key == "small_mb";
    if (!number || *number < 0 || (!may_be_zero && *number == 0))
      throw fail(value.source(), fmt::format("`{}` must be a number{}", key.str(),
                                             may_be_zero ? ", 0 or more" : " above 0"));
    if (key == "small_rows")
      settings.small_rows = static_cast<long long>(*number);
    else if (key == "small_mb")
      settings.small_bytes = static_cast<long long>(*number * (1 << 20));
    else if (key == "scan_mb_per_s")
      settings.scan_mb_per_s = *number;
    else if (key == "index_mb_per_s")
      settings.index_mb_per_s = *number;
    else if (key == "rewrite_mb_per_s")
      settings.rewrite_mb_per_s = *number;
    else
      throw fail(key.source(), fmt::format("unknown key `{}` in [table_size]; it holds "
                                           "`small_rows`, `small_mb`, `scan_mb_per_s`, "
                                           "`index_mb_per_s` and `rewrite_mb_per_s`",
                                           key.str()));
  }
}

}  // namespace

LintOptions read_lint_config(const fs::path& file) {
  // Every error names the file and the line and column of the key or value at fault.
  const auto fail = [&](const toml::source_region& at, const std::string& message) {
    return std::runtime_error(
        fmt::format("{}:{}:{}: {}", file.string(), at.begin.line, at.begin.column, message));
  };
  if (!fs::is_regular_file(file))
    throw std::runtime_error(fmt::format("cannot read `{}`", file.string()));
  LintOptions options;
  toml::table config;
  try {
    config = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw fail(e.source(), std::string(e.description()));
  }
  for (const auto& [key, value] : config) {
    if (key == "pg_version") {
      const auto version = value.value<int64_t>();
      if (!version || *version < 10 || *version > 18)
        throw fail(value.source(), "pg_version must be between 10 and 18");
      options.settings.pg_version = static_cast<int>(*version);
    } else if (key == "rules") {
      const auto* rules = value.as_table();
      if (!rules) throw fail(value.source(), "`rules` must be a table: [rules]");
      for (const auto& [rule, level_node] : *rules) {
        const std::string id(rule.str());
        if (!find_rule(id) && id != kUnusedAllow)
          throw fail(rule.source(), fmt::format("unknown rule `{}` in [rules]; `mig explain` "
                                                "lists the rules",
                                                id));
        const auto level = level_node.value<std::string>();
        if (level == "error")
          options.severities[id] = Severity::Error;
        else if (level == "warning")
          options.severities[id] = Severity::Warning;
        else if (level == "off")
          options.severities[id] = std::nullopt;
        else
          throw fail(level_node.source(),
                     fmt::format("rule `{}` must be \"error\", \"warning\" or \"off\"", id));
      }
    } else if (key == "table_size") {
      const auto* table_size = value.as_table();
      if (!table_size) throw fail(value.source(), "`table_size` must be a table: [table_size]");
      read_table_size_settings(*table_size, options.table_size, fail);
    } else if (key == "fleet") {
      // The fleet commands' (`mig up --targets ...`); they check it.
      if (!value.as_table()) throw fail(value.source(), "`fleet` must be a table: [fleet]");
    } else {
      throw fail(key.source(), fmt::format("unknown key `{}`; mig.toml holds `pg_version`, a "
                                           "[rules], a [table_size] and a [fleet] table",
                                           key.str()));
    }
  }
  return options;
}

}  // namespace mig
