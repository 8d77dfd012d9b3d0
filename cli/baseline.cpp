#include "cli/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>

#include "cli/baseline_source.hpp"
#include "cli/plan_source.hpp"
#include "runtime/database_connection.hpp"
#include "runtime/live_schema.hpp"
#include "runtime/runner.hpp"
#include "runtime/runtime_error.hpp"

namespace mig::cli {

namespace fs = std::filesystem;

void write_baseline(const BaselineRequest& request, std::ostream& out, std::ostream& err) {
  const bool snake_case =
      !request.name.empty() && std::all_of(request.name.begin(), request.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (!snake_case)
    throw std::runtime_error(
        fmt::format("--name `{}` is not snake_case (a-z, 0-9 and _)", request.name));
  const fs::path dir = request.migrations_dir;
  if (fs::exists(dir) && !fs::is_empty(dir))
    throw std::runtime_error(fmt::format(
        "{} is not empty; mig baseline writes the first migration of an empty directory",
        dir.string()));

  LiveDatabase live;
  try {
    live = read_live_schema(*connect_to_database(request.database_url));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("cannot read the database's catalog: {}", describe_database_error(e)));
  }
  const auto source = baseline_source(live);
  if (source.text.empty())
    throw RuntimeError("the database has nothing mig baseline can write (no schema objects)");

  fs::create_directories(dir);
  const auto file = dir / fmt::format("0001_{}.mig", request.name);
  std::ofstream(file) << "# The schema of the database as mig baseline found it.\n" << source.text;
  for (const auto& note : source.notes) err << "mig baseline: " << note << "\n";
  out << fmt::format("wrote {}\n", file.string());

  PlanProblem problem{};
  const auto plan = load_plan({request.migrations_dir, ""}, err, problem);
  if (!plan)
    throw RuntimeError(fmt::format(
        "{} does not compile (above); nothing was recorded in the database", file.string()));
  try {
    Runner(request.database_url, RunOptions{}, out).adopt(*plan);
  } catch (const RuntimeError&) {
    fs::remove(file);  // a baseline that is not recorded would be applied again by `mig up`
    throw;
  }
}

}  // namespace mig::cli
