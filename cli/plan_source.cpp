#include "cli/plan_source.hpp"

#include <filesystem>
#include <ostream>

#include "cli/diagnostic_output.hpp"
#include "compiler/plan/compiler.hpp"

namespace mig::cli {

std::optional<Plan> load_plan(const PlanSource& source, std::ostream& err, PlanProblem& problem) {
  namespace fs = std::filesystem;
  problem = PlanProblem::Unreadable;
  if (!source.plan_dir.empty()) {
    if (!fs::is_regular_file(fs::path(source.plan_dir) / "manifest.json")) {
      err << "mig: " << source.plan_dir << " holds no compiled plan (no manifest.json)\n";
      return std::nullopt;
    }
    problem = PlanProblem::Refused;
    try {
      return read_plan(source.plan_dir);
    } catch (const std::exception& e) {
      err << "mig: " << e.what() << "\n";
      return std::nullopt;
    }
  }
  if (source.migrations_dir.empty()) {
    err << "mig: name a migrations directory, or a compiled plan with --plan DIR\n";
    return std::nullopt;
  }
  if (!fs::is_directory(source.migrations_dir)) {
    err << "mig: " << source.migrations_dir << " is not a migrations directory\n";
    return std::nullopt;
  }
  problem = PlanProblem::Refused;
  const auto compilation = compile_directory(source.migrations_dir);
  print_diagnostics(compilation.diagnostics, err);
  if (has_errors(compilation.diagnostics)) return std::nullopt;
  return compilation.plan();
}

}  // namespace mig::cli
