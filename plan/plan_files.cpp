// The plan on disk: manifest.json with its checksums, and the scripts beside it. Apart from
// the rest of the plan so that a program that never reads or writes a plan (`mig lint`) links
// no SHA-256, and loads no OpenSSL (cli/CMakeLists.txt).

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "plan/plan.hpp"
#include "plan/sha256.hpp"

namespace mig {

using nlohmann::json;

namespace {

template <typename Enum, std::size_t N>
Enum enum_from(const json& j, const Enum (&values)[N], std::string_view what) {
  const auto text = j.get<std::string>();
  for (Enum value : values)
    if (to_string(value) == text) return value;
  throw std::runtime_error(fmt::format("manifest: unknown {} `{}`", what, text));
}

// 2: the plan checksum covers the whole migration, not only its rendered scripts.
// 3: a lock names its table's schema and name apart.
constexpr int kManifestFormat = 3;

constexpr StepKind kStepKinds[] = {StepKind::Ddl, StepKind::Data, StepKind::Backfill};
constexpr Reversibility kReversibilities[] = {Reversibility::Reversible, Reversibility::Lossy,
                                              Reversibility::Irreversible};

json lock_json(const LockFacts& lock) {
  json locks = json::array();
  for (const auto& l : lock.locks)
    locks.push_back({{"schema", l.schema}, {"table", l.table}, {"mode", to_string(l.mode)}});
  return {
      {"locks", locks}, {"rewrites_table", lock.rewrites_table}, {"scans_table", lock.scans_table}};
}

LockFacts lock_from(const json& j) {
  LockFacts lock;
  for (const auto& l : j.at("locks")) {
    const auto mode = lock_mode_named(l.at("mode").get<std::string>());
    if (!mode)
      throw std::runtime_error(
          fmt::format("manifest: unknown lock mode `{}`", l.at("mode").dump()));
    lock.locks.push_back({l.at("schema"), l.at("table"), *mode});
  }
  lock.rewrites_table = j.at("rewrites_table");
  lock.scans_table = j.at("scans_table");
  return lock;
}

json step_json(const PlanStep& step) {
  json j = {{"description", step.description},
            {"sql", step.sql},
            {"transaction", step.transaction ? json(*step.transaction) : json(nullptr)},
            {"kind", to_string(step.kind)},
            {"lock", lock_json(step.lock)}};
  if (step.backfill) {
    const auto& b = *step.backfill;
    j["backfill"] = {{"table", b.table},
                     {"key_columns", b.key_columns},
                     {"set_clause", b.set_clause},
                     {"where", b.where},
                     {"batch_size", b.batch_size}};
  }
  if (step.source_line > 0) j["source_line"] = step.source_line;
  return j;
}

PlanStep step_from(const json& j) {
  PlanStep step;
  step.description = j.at("description");
  step.sql = j.at("sql");
  if (!j.at("transaction").is_null()) step.transaction = j.at("transaction").get<int>();
  step.kind = enum_from(j.at("kind"), kStepKinds, "step kind");
  step.lock = lock_from(j.at("lock"));
  step.source_line = j.value("source_line", 0);
  if (j.contains("backfill")) {
    const auto& b = j.at("backfill");
    step.backfill = BackfillSpec{b.at("table"), b.at("key_columns"), b.at("set_clause"),
                                 b.at("where"), b.at("batch_size")};
    if (step.backfill->key_columns.empty() || step.backfill->batch_size < 1 || step.transaction)
      throw std::runtime_error(
          fmt::format("manifest: backfill step `{}` needs key columns, a batch size of 1 or "
                      "more, and no transaction (each batch is its own)",
                      step.description));
  }
  // The runtime runs a step in batches when it is a backfill with a spec; the scripts show
  // a step with a spec as batches: both must agree.
  if ((step.kind == StepKind::Backfill) != step.backfill.has_value())
    throw std::runtime_error(fmt::format("manifest: step `{}` is of kind {} but {} a backfill spec",
                                         step.description, to_string(step.kind),
                                         step.backfill ? "has" : "has no"));
  return step;
}

json steps_json(const std::vector<PlanStep>& steps) {
  json out = json::array();
  for (const auto& s : steps) out.push_back(step_json(s));
  return out;
}

std::vector<PlanStep> steps_from(const json& j) {
  std::vector<PlanStep> steps;
  for (const auto& s : j) steps.push_back(step_from(s));
  return steps;
}

// Everything of a migration but its plan checksum: what the checksum covers.
json migration_json(const PlanMigration& m) {
  return {{"version", m.version},
          {"name", m.name},
          {"source_checksum", m.source_checksum},
          {"reversibility", to_string(m.reversibility)},
          {"reversibility_notes", m.reversibility_notes},
          {"up", steps_json(m.up)},
          {"down", steps_json(m.down)}};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

constexpr std::string_view kRecompile =
    "recompile the plan with `mig compile` and review its .sql files again";

std::string script_file_name(const PlanMigration& m, Direction direction) {
  return migration_stem(m) + (direction == Direction::Up ? ".up.sql" : ".down.sql");
}

bool is_script_file_name(const std::string& name) {
  return name.ends_with(".up.sql") || name.ends_with(".down.sql");
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string_view::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  lines.push_back(text.substr(start));
  return lines;
}

// The script on disk is what a reviewer read; it must be exactly what the manifest runs.
void check_script(const std::filesystem::path& path, const PlanMigration& m,
                  const std::string& expected) {
  if (!std::filesystem::exists(path))
    throw std::runtime_error(
        fmt::format("{}: missing: a plan directory holds manifest.json and the .up.sql and "
                    ".down.sql of every migration; {}",
                    path.string(), kRecompile));
  const auto found = read_file(path);
  if (found == expected) return;
  const auto expected_lines = lines_of(expected), found_lines = lines_of(found);
  std::size_t i = 0;
  while (i < expected_lines.size() && i < found_lines.size() && expected_lines[i] == found_lines[i])
    ++i;
  const auto shown = [i](const std::vector<std::string_view>& lines) {
    return i < lines.size() ? "`" + comment_safe(lines[i]) + "`" : std::string("(end of file)");
  };
  throw std::runtime_error(fmt::format(
      "{}:{}: differs from migration {} in manifest.json, which is what the runtime runs\n"
      "  expected: {}\n  found:    {}\n{}",
      path.string(), i + 1, migration_stem(m), shown(expected_lines), shown(found_lines),
      kRecompile));
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

}  // namespace

std::string compute_plan_checksum(const PlanMigration& m) {
  // nlohmann::json sorts object keys, so the compact dump is canonical.
  return sha256_hex(migration_json(m).dump());
}

json to_json(const Plan& plan) {
  json migrations = json::array();
  for (const auto& m : plan.migrations) {
    auto j = migration_json(m);
    j["plan_checksum"] = m.plan_checksum;
    migrations.push_back(std::move(j));
  }
  return {{"format", kManifestFormat},
          {"compiler_version", plan.compiler_version},
          {"target_pg_version", plan.target_pg_version},
          {"default_schema", plan.default_schema},
          {"migrations", migrations}};
}

Plan plan_from_json(const json& j) {
  try {
    if (j.at("format") != kManifestFormat)
      throw std::runtime_error(fmt::format(
          "manifest: format {} is not the format {} this mig reads; recompile the plan with "
          "this mig's `mig compile`",
          j.at("format").dump(), kManifestFormat));
    Plan plan;
    plan.compiler_version = j.at("compiler_version");
    plan.target_pg_version = j.at("target_pg_version");
    plan.default_schema = j.value("default_schema", plan.default_schema);
    for (const auto& mj : j.at("migrations")) {
      PlanMigration m;
      m.version = mj.at("version");
      m.name = mj.at("name");
      m.source_checksum = mj.at("source_checksum");
      m.plan_checksum = mj.at("plan_checksum");
      m.reversibility = enum_from(mj.at("reversibility"), kReversibilities, "reversibility");
      m.reversibility_notes = mj.at("reversibility_notes").get<std::vector<std::string>>();
      m.up = steps_from(mj.at("up"));
      m.down = steps_from(mj.at("down"));
      plan.migrations.push_back(std::move(m));
    }
    return plan;
  } catch (const json::exception& e) {
    throw std::runtime_error(fmt::format("manifest: {}", e.what()));
  }
}

void write_plan(const Plan& plan, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (is_script_file_name(name)) fs::remove(entry.path());
  }
  for (const auto& m : plan.migrations)
    for (const auto direction : {Direction::Up, Direction::Down})
      write_file(dir / script_file_name(m, direction), render_script(m, direction));
  write_file(dir / "manifest.json", to_json(plan).dump(2) + "\n");
}

Plan read_plan(const std::filesystem::path& dir) {
  const auto manifest_path = dir / "manifest.json";
  const auto text = read_file(manifest_path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", manifest_path.string(), e.what()));
  }
  auto plan = plan_from_json(j);
  std::set<std::string> scripts;
  for (const auto& m : plan.migrations) {
    const auto computed = compute_plan_checksum(m);
    if (computed != m.plan_checksum)
      throw std::runtime_error(fmt::format(
          "{}: migration {} does not match its plan checksum (recorded {}, its contents give "
          "{}): the manifest was changed after `mig compile`; {}",
          manifest_path.string(), migration_stem(m), m.plan_checksum, computed, kRecompile));
    for (const auto direction : {Direction::Up, Direction::Down}) {
      const auto name = script_file_name(m, direction);
      scripts.insert(name);
      check_script(dir / name, m, render_script(m, direction));
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (is_script_file_name(name) && !scripts.contains(name))
      throw std::runtime_error(fmt::format(
          "{}: manifest.json has no migration {}, so the runtime would not run this script; {}",
          entry.path().string(), name.substr(0, name.find('.')), kRecompile));
  }
  return plan;
}

}  // namespace mig
