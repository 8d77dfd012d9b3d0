#include "cli/plan_source.hpp"

#include <ostream>

#include "cli/diagnostic_output.hpp"
#include "compiler/plan/compiler.hpp"

namespace mig::cli {

std::optional<Plan> load_plan(const PlanSource& source, std::ostream& err) {
  if (!source.plan_dir.empty()) {
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
  const auto compilation = compile_directory(source.migrations_dir);
  print_diagnostics(compilation.diagnostics, err);
  if (has_errors(compilation.diagnostics)) return std::nullopt;
  return compilation.plan();
}

}  // namespace mig::cli
