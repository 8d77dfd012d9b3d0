// mig-full: compile .mig migrations into a plan of upgrade and downgrade SQL, and apply it.
// Every command of mig is here; `mig` (cli/main.cpp) runs lint, explain and fmt itself and
// hands the others to this program.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "build_commit.hpp"
#include "cli/diagnostic_output.hpp"
#include "cli/format_command.hpp"
#include "cli/lint_commands.hpp"
#include "cli/man_page.hpp"
#include "cli/migration_file_commands.hpp"
#include "cli/pending_sql.hpp"
#include "cli/run_app.hpp"
#include "cli/runtime_commands.hpp"
#include "cli/shell_completion.hpp"
#include "cli/test_command.hpp"
#include "compiler/plan/compiler.hpp"
#include "runtime/table_statistics.hpp"

namespace {

constexpr int kUsageError = 2;

bool is_directory(const std::string& dir) {
  if (std::filesystem::is_directory(dir)) return true;
  std::cerr << "mig: `" << dir << "` is not a directory\n";
  return false;
}

int compile_command(const std::string& dir, const std::string& out, int pg_version) {
  if (!is_directory(dir)) return kUsageError;
  mig::CompileOptions options;
  options.target_pg_version = pg_version;
  const auto compilation = mig::compile_directory(dir, options);
  mig::cli::print_diagnostics(compilation.diagnostics, std::cerr);
  if (mig::has_errors(compilation.diagnostics)) return 1;
  try {
    mig::write_plan(compilation.plan(), out);
  } catch (const std::exception& e) {
    std::cerr << "mig: " << e.what() << "\n";
    return kUsageError;
  }
  std::cout << "compiled " << compilation.migrations.size() << " migration(s) into " << out << "\n";
  return 0;
}

int sql_command(const std::string& dir, bool down, int only_version,
                const mig::cli::PendingSqlOptions& pending) {
  if (!is_directory(dir)) return kUsageError;
  mig::CompileOptions options;
  options.downgrades = down || pending.pending;  // the plan checksums cover downgrades
  const auto compilation = mig::compile_directory(dir, options);
  mig::cli::print_diagnostics(compilation.diagnostics, std::cerr);
  if (mig::has_errors(compilation.diagnostics)) return 1;
  if (pending.pending) return mig::cli::print_pending_sql(compilation.plan(), pending);
  std::vector<const mig::PlanMigration*> migrations;
  for (const auto& m : compilation.migrations)
    if (only_version < 0 || m.plan.version == only_version) migrations.push_back(&m.plan);
  if (down) {
    std::reverse(migrations.begin(), migrations.end());
    for (const auto* m : migrations)
      if (m->reversibility == mig::Reversibility::Irreversible) {
        std::cerr << "mig: error: " << mig::migration_stem(*m) << " is irreversible";
        for (const auto& note : m->reversibility_notes) std::cerr << ": " << note;
        std::cerr << "\n";
        return 1;
      }
  }
  for (const auto* m : migrations)
    std::cout << mig::render_script(*m, down ? mig::Direction::Down : mig::Direction::Up) << "\n";
  if (migrations.empty() && only_version >= 0) {
    std::cerr << "mig: no migration " << only_version << " in " << dir << "\n";
    return kUsageError;
  }
  return 0;
}

// For the build (cli/CMakeLists.txt): DIR/man/mig.1 and DIR/completions/{mig.bash,_mig,mig.fish}.
void write_man_and_completions(const CLI::App& app, const std::filesystem::path& dir) {
  const std::pair<std::filesystem::path, std::string> files[] = {
      {"man/mig.1", mig::cli::man_page(app, MIG_VERSION)},
      {"completions/mig.bash", mig::cli::bash_completion(app)},
      {"completions/_mig", mig::cli::zsh_completion(app)},
      {"completions/mig.fish", mig::cli::fish_completion(app)},
  };
  for (const auto& [name, text] : files) {
    std::error_code error;
    std::filesystem::create_directories((dir / name).parent_path(), error);
    std::ofstream out(dir / name, std::ios::binary);
    out << text;
    if (error || !out.flush())
      throw CLI::FileError("cannot write " + (dir / name).string() +
                           (error ? ": " + error.message() : ""));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mig: PostgreSQL schema migrations compiled from .mig files", "mig"};
  app.set_version_flag("--version", "mig " MIG_VERSION " (commit " MIG_COMMIT ")");
  app.footer("Example: mig compile migrations -o build/plan; `mig COMMAND --help` for a command");
  app.require_subcommand(1);
  int exit_code = 0;

  std::string dir, out = "build/plan";
  auto* compile = app.add_subcommand("compile", "compile a migrations directory into a plan");
  compile->add_option("dir", dir, "migrations directory")->required();
  compile->add_option("-o,--output", out, "plan directory to write")->capture_default_str();
  int pg_version = 15;
  compile
      ->add_option("--pg-version", pg_version,
                   "target PostgreSQL major version, recorded in the plan")
      ->check(CLI::Range(10, 18))
      ->capture_default_str();
  compile->footer("Example: mig compile migrations -o build/plan");
  compile->callback([&] { exit_code = compile_command(dir, out, pg_version); });

  bool down = false;
  int version = -1;
  auto* sql = app.add_subcommand("sql", "print the upgrade (or downgrade) SQL for review");
  sql->add_option("dir", dir, "migrations directory")->required();
  auto* sql_down = sql->add_flag("--down", down, "print the downgrade, newest migration first");
  auto* sql_version = sql->add_option("--version", version, "only this migration");
  const auto pending = mig::cli::add_pending_sql_options(*sql);
  sql->get_option("--pending")->excludes(sql_down)->excludes(sql_version);
  sql->footer(
      "Example: mig sql migrations --down --version 7; mig sql migrations --pending --db "
      "postgresql://app@db/auth");
  sql->callback([&, pending] { exit_code = sql_command(dir, down, version, *pending); });

  mig::cli::add_migration_file_commands(app, exit_code);
  mig::cli::add_runtime_commands(app, exit_code);
  mig::cli::add_test_command(app, exit_code);
  mig::cli::add_lint_commands(app, exit_code, mig::read_table_sizes);
  mig::cli::add_format_command(app, exit_code);
  // Hidden (no group), run as soon as it is parsed: no subcommand is required with it.
  app.add_option_function<std::string>(
         "--write-man-and-completions",
         [&app](const std::string& dir) {
           write_man_and_completions(app, dir);
           throw CLI::Success();
         },
         "")
      ->group("")
      ->trigger_on_parse();

  return mig::cli::run_app(app, argc, argv, exit_code);
}
