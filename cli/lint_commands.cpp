#include "cli/lint_commands.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/lint_output.hpp"
#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"

namespace mig::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kUsageError = 2;

struct LintArguments {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string config;
  int pg_version = 0;
  bool deny_warnings = false;
  bool fix = false;
};

// Applies the findings' fixes to their files, last place first so earlier offsets hold;
// fixes that need a new migration file are written after the file they belong to.
void apply_fixes(const LintResult& result, std::ostream& out) {
  std::map<const SourceFile*, std::vector<const Finding*>> by_file;
  for (const auto& f : result.findings)
    if (f.fix && f.file) by_file[f.file].push_back(&f);
  for (auto& [file, findings] : by_file) {
    std::sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
      return a->fix->span.begin > b->fix->span.begin;
    });
    std::string text = file->text();
    int next_version = 0;
    for (const auto* f : findings) {
      const auto at = file->position(f->span.begin);
      text.replace(f->fix->span.begin, f->fix->span.end - f->fix->span.begin, f->fix->text);
      out << fmt::format("{}:{}:{}: {} [{}]\n", file->path(), at.line, at.column,
                         f->fix->description, f->rule);
      if (f->fix->new_file.empty()) continue;
      const auto dir = fs::path(file->path()).parent_path();
      int highest = 0;
      for (const auto& e : fs::directory_iterator(dir))
        highest = std::max(highest, std::atoi(e.path().filename().string().c_str()));
      next_version = std::max(next_version, highest) + 1;
      const auto path = dir / fmt::format("{:04}_{}.mig", next_version, f->fix->new_file);
      std::ofstream(path) << f->fix->new_file_text;
      out << fmt::format("{}: wrote {} [{}]\n", file->path(), path.string(), f->rule);
    }
    std::ofstream(file->path(), std::ios::binary) << text;
  }
}

int lint(const LintArguments& args) {
  static const std::map<std::string, LintFormat> formats = {{"text", LintFormat::Text},
                                                            {"json", LintFormat::Json},
                                                            {"sarif", LintFormat::Sarif},
                                                            {"github", LintFormat::Github}};
  LintOptions options;
  try {
    const auto config = !args.config.empty()     ? fs::path(args.config)
                        : fs::exists("mig.toml") ? fs::path("mig.toml")
                                                 : fs::path();
    if (!config.empty()) options = read_lint_config(config);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  if (args.pg_version) options.settings.pg_version = args.pg_version;

  const auto paths = args.paths.empty() ? std::vector<std::string>{"migrations"} : args.paths;
  std::vector<fs::path> sql_files;
  std::vector<fs::path> directories;
  for (const auto& p : paths) {
    if (fs::is_directory(p))
      directories.emplace_back(p);
    else if (fs::path(p).extension() == ".sql" && fs::exists(p))
      sql_files.emplace_back(p);
    else {
      std::cerr << "mig: `" << p << "` is neither a migrations directory nor a .sql file\n";
      return kUsageError;
    }
  }
  if (directories.size() > 1 || (!directories.empty() && !sql_files.empty())) {
    std::cerr << "mig: lint one migrations directory, or .sql files\n";
    return kUsageError;
  }
  LintResult result;
  try {
    result = directories.empty() ? lint_sql_files(sql_files, options)
                                 : lint_migrations(directories.front(), options);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  const auto format = formats.at(args.format);
  write_lint_result(
      result, format, std::cout,
      format == LintFormat::Text && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  if (args.fix) apply_fixes(result, std::cerr);
  return result.has_errors() || (args.deny_warnings && result.has_warnings()) ? 1 : 0;
}

int explain(const std::string& id) {
  if (id.empty()) {
    for (const auto& r : all_rules())
      std::cout << fmt::format("{:<32} {}\n", r->id(), r->summary());
    return 0;
  }
  if (!find_rule(id)) {
    std::cerr << "mig: unknown rule `" << id << "`; `mig explain` lists them\n";
    return kUsageError;
  }
  std::cout << rule_doc(id);
  return 0;
}

}  // namespace

void add_lint_commands(CLI::App& app, int& exit_code) {
  static LintArguments args;
  auto* lint_command = app.add_subcommand(
      "lint", "check migrations for changes that would hurt production (rules: `mig explain`)");
  lint_command->add_option("paths", args.paths,
                           "a migrations directory (default: migrations) or .sql files");
  lint_command->add_option("--format", args.format, "text, json, sarif or github")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}))
      ->capture_default_str();
  lint_command->add_option("--config", args.config,
                           "project file (default: ./mig.toml if present)");
  lint_command
      ->add_option("--pg-version", args.pg_version, "target PostgreSQL major version (default 15)")
      ->check(CLI::Range(10, 18));
  lint_command->add_flag("--deny-warnings", args.deny_warnings, "exit 1 on warnings too");
  lint_command->add_flag("--fix", args.fix, "apply the mechanical fixes and say what changed");
  lint_command->callback([&exit_code] { exit_code = lint(args); });

  static std::string rule;
  auto* explain_command =
      app.add_subcommand("explain", "print a rule's page; without a rule, list them");
  explain_command->add_option("rule", rule, "rule id, e.g. locking-index");
  explain_command->callback([&exit_code] { exit_code = explain(rule); });
}

}  // namespace mig::cli
