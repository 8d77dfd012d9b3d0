#include "cli/lint_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cli/changed_files.hpp"
#include "cli/lint_output.hpp"
#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"
#include "compiler/lint/weigh_by_size.hpp"

namespace mig::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kUsageError = 2;

struct LintArguments {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  std::string config;
  std::string changed_since;
  std::string database_url;
  int pg_version = 0;
  int jobs = 0;
  bool deny_warnings = false;
  bool fix = false;
};

// The number at the start of a migration's file name, and how many digits it has.
std::pair<int, std::size_t> leading_number(const fs::path& path) {
  const auto name = path.filename().string();
  std::size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
  return {digits ? std::atoi(name.substr(0, digits).c_str()) : 0, digits};
}

void write_or_throw(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error(fmt::format("cannot write `{}`", path.string()));
}

struct FixCount {
  int findings = 0;
  int files = 0;
  int new_files = 0;
};

// Applies the findings' fixes to their files, file by file in path order, each file's
// edits last place first so that earlier offsets hold; a fix that overlaps one already
// applied is left for the next run. A fix with a new file writes it after the directory's
// last migration. Says what it did on `out`, in file order.
FixCount apply_fixes(const LintResult& result, std::ostream& out) {
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const auto& f : result.findings)
    if (f.fix && f.file) by_file[f.file->path()].push_back(&f);
  FixCount count;
  for (auto& [path, findings] : by_file) {
    const SourceFile& file = *findings.front()->file;
    std::stable_sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
      return a->fix->span.begin > b->fix->span.begin;
    });
    std::string text = file.text();
    std::vector<std::string> report;
    std::size_t applied_from = text.size() + 1;  // start of the earliest edit so far
    for (const auto* f : findings) {
      const auto at = file.position(f->span.begin);
      if (f->fix->span.end > applied_from) {
        report.push_back(fmt::format("{}:{}:{}: not fixed, overlaps another fix [{}]\n", path,
                                     at.line, at.column, f->rule));
        continue;
      }
      applied_from = f->fix->span.begin;
      text.replace(f->fix->span.begin, f->fix->span.end - f->fix->span.begin, f->fix->text);
      std::string line = fmt::format("{}:{}:{}: {} [{}]\n", path, at.line, at.column,
                                     f->fix->description, f->rule);
      ++count.findings;
      if (!f->fix->new_file.empty()) {
        // Rules give .mig text for .mig sources and SQL for plain .sql files.
        const auto dir = fs::path(path).parent_path();
        const auto [own, digits] = leading_number(path);
        int highest = own;
        for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : dir))
          highest = std::max(highest, leading_number(e.path()).first);
        const auto extension = fs::path(path).extension().string();
        const auto new_path =
            dir / fmt::format("{:0{}}_{}{}", highest + 1, std::max<std::size_t>(digits, 4),
                              f->fix->new_file, extension);
        write_or_throw(new_path, f->fix->new_file_text);
        ++count.new_files;
        line += fmt::format("{}: wrote {} [{}]\n", path, new_path.string(), f->rule);
      }
      report.push_back(std::move(line));
    }
    if (text == file.text()) continue;
    write_or_throw(path, text);
    ++count.files;
    for (auto it = report.rbegin(); it != report.rend(); ++it) out << *it;
  }
  return count;
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");  // no-color.org: set and not empty
  return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

// Adds `from` to `into`: the results of several migrations directories, reported as one.
void append(LintResult& into, LintResult from) {
  auto& migrations = into.compilation.migrations;
  std::move(from.compilation.migrations.begin(), from.compilation.migrations.end(),
            std::back_inserter(migrations));
  auto& diagnostics = into.compilation.diagnostics;
  std::move(from.compilation.diagnostics.begin(), from.compilation.diagnostics.end(),
            std::back_inserter(diagnostics));
  std::move(from.findings.begin(), from.findings.end(), std::back_inserter(into.findings));
}

// What `mig lint` was asked to look at. Migrations directories are linted whole (a
// migration needs the history before it); `reported`, when set, names the files whose
// findings are reported.
struct LintTargets {
  std::vector<fs::path> directories;
  std::vector<fs::path> sql_files;
  std::optional<std::set<fs::path>> reported;  // canonical paths
};

// nullopt after saying why on standard error.
std::optional<LintTargets> lint_targets(const LintArguments& args) {
  const auto paths = args.paths.empty() ? std::vector<std::string>{"migrations"} : args.paths;
  LintTargets targets;
  std::set<fs::path> mig_files;
  bool directory_given = false;
  for (const auto& p : paths) {
    const auto extension = fs::path(p).extension();
    if (fs::is_directory(p)) {
      targets.directories.emplace_back(p);
      directory_given = true;
    } else if (extension == ".mig" && fs::is_regular_file(p)) {
      mig_files.insert(fs::weakly_canonical(p));
      const auto dir =
          fs::path(p).parent_path().empty() ? fs::path(".") : fs::path(p).parent_path();
      if (std::none_of(targets.directories.begin(), targets.directories.end(),
                       [&](const fs::path& d) { return fs::equivalent(d, dir); }))
        targets.directories.push_back(dir);
    } else if (extension == ".sql" && fs::is_regular_file(p)) {
      targets.sql_files.emplace_back(p);
    } else {
      std::cerr << "mig: `" << p << "` is neither a migrations directory nor a .mig or .sql file\n";
      return std::nullopt;
    }
  }
  if ((!targets.directories.empty() && !targets.sql_files.empty()) ||
      (directory_given && !mig_files.empty())) {
    std::cerr << "mig: lint migrations directories, .mig files of them, or .sql files\n";
    return std::nullopt;
  }
  if (!mig_files.empty()) targets.reported = mig_files;
  if (args.changed_since.empty()) return targets;
  const auto first = targets.directories.empty() ? targets.sql_files.front().parent_path()
                                                 : targets.directories.front();
  const auto changed = files_changed_since(args.changed_since, first);
  if (targets.reported)
    std::erase_if(*targets.reported, [&](const fs::path& p) { return !changed.count(p); });
  else
    targets.reported = changed;
  std::erase_if(targets.sql_files, [&](const fs::path& p) {
    return !targets.reported->count(fs::weakly_canonical(p));
  });
  return targets;
}

int lint(const LintArguments& args, const TableSizeReader& read_table_sizes) {
  static const std::map<std::string, LintFormat> formats = {{"text", LintFormat::Text},
                                                            {"json", LintFormat::Json},
                                                            {"sarif", LintFormat::Sarif},
                                                            {"github", LintFormat::Github},
                                                            {"markdown", LintFormat::Markdown}};
  LintOptions options;
  std::optional<LintTargets> targets;
  try {
    const auto config = !args.config.empty()     ? fs::path(args.config)
                        : fs::exists("mig.toml") ? fs::path("mig.toml")
                                                 : fs::path();
    if (!config.empty()) options = read_lint_config(config);
    targets = lint_targets(args);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  if (!targets) return kUsageError;
  if (args.pg_version) options.settings.pg_version = args.pg_version;
  options.jobs = args.jobs;

  const auto format = formats.at(args.format);
  OutputOptions output;
  output.color = format == LintFormat::Text && use_color(args.color);
  if (targets->directories.empty() && format != LintFormat::Markdown && !args.fix &&
      args.database_url.empty()) {
    // Each file's findings are written as soon as it is linted, and then let go.
    LintWriter writer(format, std::cout, output);
    try {
      lint_sql_files(targets->sql_files, options, [&](SqlFileResult file) {
        for (const auto& d : file.diagnostics) writer.add(d);
        for (const auto& f : file.findings) writer.add(f);
      });
    } catch (const std::exception& e) {
      std::cerr << "mig: " << e.what() << "\n";
      return kUsageError;
    }
    writer.finish();
    return writer.errors() || (args.deny_warnings && writer.warnings()) ? 1 : 0;
  }
  const auto reported = [&](const SourceFile& file) {
    return !targets->reported || targets->reported->count(fs::weakly_canonical(file.path())) > 0;
  };
  LintResult result;
  const auto run = [&] {
    if (targets->directories.empty()) {
      result = lint_sql_files(targets->sql_files, options);
    } else {
      result = lint_migrations(targets->directories.front(), options);
      for (std::size_t i = 1; i < targets->directories.size(); ++i)
        append(result, lint_migrations(targets->directories[i], options));
    }
    std::erase_if(result.findings, [&](const Finding& f) { return !reported(*f.file); });
  };
  try {
    run();
    if (args.fix) {
      const auto fixed = apply_fixes(result, std::cerr);
      if (fixed.findings) {
        std::cerr << fmt::format("mig: fixed {} finding(s) in {} file(s)", fixed.findings,
                                 fixed.files);
        if (fixed.new_files) std::cerr << fmt::format(", wrote {} new file(s)", fixed.new_files);
        std::cerr << "; what is left:\n";
        run();  // report what is left, at its place in the fixed files
      }
    }
    if (!args.database_url.empty())
      weigh_by_size(result, read_table_sizes(args.database_url, tables_to_weigh(result)),
                    options.table_size);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  if (targets->reported) output.reported = reported;
  write_lint_result(result, format, std::cout, output);
  const int exit_code =
      result.has_errors() || (args.deny_warnings && result.has_warnings()) ? 1 : 0;
  // The process ends now: its memory goes back at once, which freeing the compiled history
  // block by block does not (5 % of linting 2,000 migrations). Compilers do the same
  // (clang's -disable-free); the result stays reachable, so leak checkers do not object.
  static auto* const kept_until_exit = new LintResult;
  *kept_until_exit = std::move(result);
  return exit_code;
}

int explain(const std::string& id) {
  if (id.empty()) {
    for (const auto& r : all_rules())
      std::cout << fmt::format("{:<32} {}\n", r->id(), r->summary());
    std::cout << fmt::format("{:<32} {}\n", kUnusedAllow, "an `@allow` that suppresses nothing");
    return 0;
  }
  if (rule_doc(id).empty()) {
    std::cerr << "mig: unknown rule `" << id << "`; `mig explain` lists them\n";
    return kUsageError;
  }
  std::cout << rule_doc(id);
  return 0;
}

}  // namespace

void add_lint_commands(CLI::App& app, int& exit_code, TableSizeReader read_table_sizes) {
  static LintArguments args;
  auto* lint_command = app.add_subcommand(
      "lint", "check migrations for changes that would hurt production (rules: `mig explain`)");
  lint_command->add_option(
      "paths", args.paths,
      "migrations directories (default: migrations), .mig files of them (the whole history is "
      "compiled, only these are reported), or .sql files");
  lint_command->add_option("--format", args.format, "text, json, sarif, github or markdown")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "markdown"}))
      ->capture_default_str();
  lint_command->add_option("--changed-since", args.changed_since,
                           "report only the migrations changed since the branch left this git "
                           "ref (committed or not), e.g. origin/main");
  lint_command
      ->add_option("--color", args.color, "auto (a terminal without NO_COLOR), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  lint_command->add_option("--config", args.config,
                           "project file (default: ./mig.toml if present)");
  lint_command
      ->add_option("--pg-version", args.pg_version, "target PostgreSQL major version (default 15)")
      ->check(CLI::Range(10, 18));
  lint_command
      ->add_option("--jobs,-j", args.jobs,
                   "plain .sql files linted at once (default: one per core); the output is the "
                   "same for any number")
      ->check(CLI::Range(1, 1024));
  lint_command->add_option(
      "--db", args.database_url,
      "weigh lock findings by the size of their tables in this database (a staging copy): a "
      "small table makes them notes, a large one adds how long the lock is likely held");
  lint_command->add_flag("--deny-warnings", args.deny_warnings, "exit 1 on warnings too");
  lint_command->add_flag("--fix", args.fix, "apply the mechanical fixes and say what changed");
  lint_command->footer("Example: mig lint migrations --format github --deny-warnings");
  lint_command->callback([&exit_code, read_table_sizes = std::move(read_table_sizes)] {
    exit_code = lint(args, read_table_sizes);
  });

  static std::string rule;
  auto* explain_command =
      app.add_subcommand("explain", "print a rule's page; without a rule, list them");
  explain_command->add_option("rule", rule, "rule id, e.g. locking-index");
  explain_command->footer("Example: mig explain set-not-null-scan");
  explain_command->callback([&exit_code] { exit_code = explain(rule); });
}

}  // namespace mig::cli
