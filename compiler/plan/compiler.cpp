#include "compiler/plan/compiler.hpp"

#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <exception>
#include <numeric>
#include <optional>
#include <thread>

#include "compiler/effects/sql_effects.hpp"
#include "compiler/ops/operations.hpp"
#include "compiler/source/encoding.hpp"
#include "compiler/source/migration_file_name.hpp"
#include "compiler/sql/pg_parser.hpp"
#include "compiler/sql/statement_shapes.hpp"

namespace mig {

namespace fs = std::filesystem;

namespace {

// Reads what a step does and sets its facts. Every fragment was checked in the statement
// it is placed in and stripped of comments; a generated step is checked again as a whole,
// so that no fragment can have changed its shape (once per shape: the statements of one
// differ only in quoted names). A statement of raw SQL comes with the tree PostgreSQL's
// parser gave it where it was written (`written`).
std::vector<Effect> describe(PlanStep& step, const nlohmann::json* written, const ast::Node& node,
                             const SchemaModel& model, CheckContext& ctx, StatementShapes& shapes) {
  if (written) return describe_step(step, *written, model);
  const auto parsed = shapes.parse(step.sql);
  if (const auto* problem = std::get_if<SqlError>(&parsed)) {
    ctx.error(node.span,
              fmt::format("internal error: the SQL generated for this statement is not one "
                          "statement ({}): {}",
                          problem->message, step.sql),
              "please report this; the migration cannot be compiled safely");
    return {};
  }
  return describe_step(step, *std::get<const nlohmann::json*>(parsed), model);
}

void lower(CompiledMigration& m, SchemaModel& model, Diagnostics& diagnostics,
           const CompileOptions& options, StatementShapes& shapes) {
  auto& plan = m.plan;
  plan.version = m.version;
  plan.name = m.name;
  std::vector<std::vector<PlanStep>> downs;
  CheckContext ctx(*m.source, m.version, diagnostics);
  for (const auto& node : m.parsed.nodes) {
    const auto op = resolve(node, model, ctx);
    if (!op) continue;
    auto up = op->up(model);
    auto down = options.downgrades ? op->down(model) : std::vector<PlanStep>{};
    const auto reversal = op->reversal(model);
    if (reversal.reversibility > plan.reversibility) plan.reversibility = reversal.reversibility;
    auto& notes = plan.reversibility_notes;
    if (!reversal.note.empty() &&
        std::find(notes.begin(), notes.end(), reversal.note) == notes.end())
      notes.push_back(reversal.note);
    const auto* written = op->written_sql();
    const bool raw_sql = written != nullptr;
    const auto first = plan.up.size();
    if (!raw_sql)
      m.statements.push_back(
          {{node.span, node.statement, Form::Mig, {}}, first, first + up.size(), reversal});
    const auto line_of = [&](Span span) {
      return static_cast<int>(m.source->position(span.begin).line);
    };
    for (std::size_t i = 0; i < up.size(); ++i) {
      const auto* statement = raw_sql ? &written->up_statements[i] : nullptr;
      up[i].source_line = line_of(statement ? statement->span : node.span);
      auto effects =
          describe(up[i], statement ? &statement->tree : nullptr, node, model, ctx, shapes);
      if (!raw_sql) {
        auto& all = m.statements.back().what.effects;
        all.insert(all.end(), std::make_move_iterator(effects.begin()),
                   std::make_move_iterator(effects.end()));
      } else {
        m.statements.push_back(
            {{statement->span, node.statement, Form::SqlBlock, std::move(effects)},
             first + i,
             first + i + 1,
             reversal});
      }
    }
    plan.up.insert(plan.up.end(), std::make_move_iterator(up.begin()),
                   std::make_move_iterator(up.end()));
    op->apply(model, m.version);
    for (std::size_t i = 0; i < down.size(); ++i) {
      down[i].source_line = line_of(node.span);
      const auto* tree = raw_sql ? &(*written->down_statements)[i].tree : nullptr;
      describe(down[i], tree, node, model, ctx, shapes);  // runs on the schema this one left
    }
    downs.push_back(std::move(down));
  }
  if (plan.reversibility != Reversibility::Irreversible)
    for (auto it = downs.rbegin(); it != downs.rend(); ++it)
      plan.down.insert(plan.down.end(), std::make_move_iterator(it->begin()),
                       std::make_move_iterator(it->end()));
  plan_transactions(plan.up);
  plan_transactions(plan.down);
  if (options.migration_observer) options.migration_observer(m, model);
}

// The last component of `path`: fs::path::filename without building a path for it (2,000
// of them are a millisecond before the second thread starts).
std::string_view file_name(std::string_view path) { return path.substr(path.rfind('/') + 1); }

// A migration file: its text, or only its path while it is still to be read.
struct Input {
  std::string path;
  std::optional<std::string> text;
};

// The file of `input`, read now unless its text was given, or nullptr with a diagnostic.
std::unique_ptr<SourceFile> load(Input& input, Diagnostics& out) {
  std::string text;
  if (input.text) {
    text = std::move(*input.text);
  } else {
    try {
      text = read_source(input.path);
    } catch (const std::runtime_error& e) {
      out.push_back({Severity::Error, nullptr, {}, e.what(), {}, {}});
      return nullptr;
    }
  }
  return std::make_unique<SourceFile>(input.path, without_byte_order_mark(std::move(text)));
}

// Reads, checks and parses the files of a history on the other cores while the history is
// replayed in order on this one: none of that needs the schema. Each file's diagnostics
// are handed over at its turn, so what is reported is the same as when reading and
// parsing in turn.
class ParseAhead {
 public:
  explicit ParseAhead(std::vector<Input>& inputs) : inputs_(inputs), slots_(inputs.size()) {
    const auto workers = std::min<std::size_t>(
        std::max(1u, std::thread::hardware_concurrency()) - 1, inputs.size() / 2);
    for (std::size_t i = 0; i < workers; ++i)
      workers_.emplace_back([this](std::stop_token stop) {
        for (auto n = next_++; n < slots_.size() && !stop.stop_requested(); n = next_++) parse(n);
      });
  }
  ~ParseAhead() {
    for (auto& w : workers_) w.request_stop();
  }

  // Migration `n`'s file and parse, with its diagnostics appended to `out`. While another
  // thread still parses it, this one parses the next files meanwhile.
  std::pair<std::unique_ptr<SourceFile>, ParsedFile> take(std::size_t n, Diagnostics& out) {
    auto& slot = slots_[n];
    while (!parse(n))
      if (const auto next = next_++; next >= slots_.size())
        slot.state.wait(kParsing);
      else
        parse(next);
    if (slot.failure) std::rethrow_exception(slot.failure);
    out.insert(out.end(), std::make_move_iterator(slot.diagnostics.begin()),
               std::make_move_iterator(slot.diagnostics.end()));
    return {std::move(slot.source), std::move(slot.parsed)};
  }

  // After an error, the file of migration `n`, which was not taken: from its slot, or read
  // now. Stops the other threads first.
  std::unique_ptr<SourceFile> untaken_file(std::size_t n) {
    workers_.clear();  // joins them
    Diagnostics ignored;
    return slots_[n].state == kDone ? std::move(slots_[n].source) : load(inputs_[n], ignored);
  }

 private:
  enum State { kWaiting, kParsing, kDone };
  struct Slot {
    std::atomic<int> state = kWaiting;
    std::unique_ptr<SourceFile> source;
    ParsedFile parsed;
    Diagnostics diagnostics;
    std::exception_ptr failure;
  };

  // Reads and parses migration `n` unless another thread has taken it.
  bool parse(std::size_t n) {
    auto& slot = slots_[n];
    int waiting = kWaiting;
    if (!slot.state.compare_exchange_strong(waiting, kParsing)) return slot.state == kDone;
    try {
      slot.source = load(inputs_[n], slot.diagnostics);
      if (slot.source) {
        if (auto error = encoding_error(*slot.source))
          slot.diagnostics.push_back(std::move(*error));
        else
          slot.parsed = parse_file(*slot.source, slot.diagnostics);
      }
    } catch (...) {
      slot.failure = std::current_exception();
    }
    slot.state = kDone;
    slot.state.notify_all();
    return true;
  }

  std::vector<Input>& inputs_;
  std::vector<Slot> slots_;
  std::atomic<std::size_t> next_ = 0;
  std::vector<std::jthread> workers_;  // last: joined before the slots go
};

}  // namespace

void plan_transactions(std::vector<PlanStep>& steps) {
  int next = 0;
  std::optional<int> open;
  bool holds_write_lock = false;
  for (auto& s : steps) {
    if (!s.transaction) {
      open.reset();
      continue;
    }
    const bool strong = std::any_of(s.lock.locks.begin(), s.lock.locks.end(),
                                    [](const TableLock& l) { return blocks_writes(l.mode); });
    if (!open || (s.lock.scans_table && !strong && holds_write_lock)) {
      open = ++next;
      holds_write_lock = false;
    }
    s.transaction = open;
    holds_write_lock |= strong;
  }
}

namespace {

Compilation compile_inputs(std::vector<Input> inputs, const CompileOptions& options) {
  Compilation c;
  c.target_pg_version = options.target_pg_version;
  c.migrations.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto& m = c.migrations[i];
    const auto name = file_name(inputs[i].path);
    if (const auto parsed = parse_migration_file_name(name)) {
      m.version = parsed->number;
      m.name = parsed->name;
      continue;
    }
    m.source = load(inputs[i], c.diagnostics);
    if (!m.source) continue;
    c.diagnostics.push_back(
        {Severity::Error,
         m.source.get(),
         {},
         fmt::format("migration file name `{}` does not follow `NNNN_snake_name.mig`", name),
         "name it like `0007_add_user_status.mig`: a number of at least four digits, then "
         "lower-case words joined by `_`",
         {}});
  }
  // Reports list every migration, also those not compiled: each gets its file from
  // `file_of(n)`, and one whose file cannot be read is left out.
  const auto stop = [&](const auto& file_of) {
    for (std::size_t n = 0; n < c.migrations.size(); ++n)
      if (!c.migrations[n].source) c.migrations[n].source = file_of(n);
    std::erase_if(c.migrations, [](const CompiledMigration& m) { return !m.source; });
    return std::move(c);
  };
  const auto read = [&](std::size_t n) {
    Diagnostics ignored;
    return load(inputs[n], ignored);
  };
  if (has_errors(c.diagnostics)) return stop(read);
  std::vector<std::size_t> order(inputs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return c.migrations[a].version < c.migrations[b].version;
  });
  {
    std::vector<CompiledMigration> migrations;
    std::vector<Input> sorted;
    migrations.reserve(order.size());
    sorted.reserve(order.size());
    for (const auto i : order) {
      migrations.push_back(std::move(c.migrations[i]));
      sorted.push_back(std::move(inputs[i]));
    }
    c.migrations = std::move(migrations);
    inputs = std::move(sorted);
  }
  for (std::size_t first = 0, end = 0; first < c.migrations.size(); first = end) {
    std::string paths = fmt::format("`{}`", inputs[first].path);
    for (end = first + 1;
         end < c.migrations.size() && c.migrations[end].version == c.migrations[first].version;
         ++end)
      paths += fmt::format(", `{}`", inputs[end].path);
    if (end - first > 1) {
      c.migrations[end - 1].source = load(inputs[end - 1], c.diagnostics);
      c.diagnostics.push_back(
          {Severity::Error,
           c.migrations[end - 1].source.get(),
           {},
           fmt::format("migration number {:04} is used by {} files: {}",
                       c.migrations[first].version, end - first, paths),
           "every migration needs its own number (two branches each added the next one): run "
           "`mig renumber` on the directory to move the later ones after the last migration",
           {}});
    }
  }
  if (has_errors(c.diagnostics)) return stop(read);
  ParseAhead parsed(inputs);
  StatementShapes shapes;
  const auto stop_after = [&] {
    return stop([&](std::size_t n) { return parsed.untaken_file(n); });
  };
  for (std::size_t i = 0; i < c.migrations.size(); ++i) {
    auto& m = c.migrations[i];
    std::tie(m.source, m.parsed) = parsed.take(i, c.diagnostics);
    if (has_errors(c.diagnostics)) return stop_after();
    if (m.parsed.statements == 0) {
      c.diagnostics.push_back({Severity::Error,
                               m.source.get(),
                               {},
                               "migration has no statements",
                               "write its statements, or delete the file",
                               {}});
      return stop_after();
    }
    lower(m, c.model, c.diagnostics, options, shapes);
    m.parsed.nodes = {};  // what they say is in the plan and the model now
    if (!options.keep_statements) m.statements = {};
    if (has_errors(c.diagnostics)) return stop_after();
  }
  return c;
}

}  // namespace

Compilation compile_sources(std::vector<SourceText> sources, const CompileOptions& options) {
  std::vector<Input> inputs;
  for (auto& s : sources) inputs.push_back({std::move(s.path), std::move(s.text)});
  return compile_inputs(std::move(inputs), options);
}

namespace {

// What a file of a migrations directory is, by its name.
enum class FileRole { Migration, MisnamedMigration, SqlMigration, Stray, Ignored };

FileRole role_of(std::string_view name) {
  if (name.starts_with('.')) return FileRole::Ignored;  // .gitkeep, editor and OS files
  const auto dot = name.rfind('.');
  const auto extension = dot == std::string_view::npos ? std::string_view{} : name.substr(dot);
  if (extension == ".mig") return FileRole::Migration;
  const auto is = [&](std::string_view lower) {
    return std::equal(
        extension.begin(), extension.end(), lower.begin(), lower.end(),
        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  };
  if (is(".mig")) return FileRole::MisnamedMigration;
  const auto digits = name.find_first_not_of("0123456789");
  if (is(".sql") && digits > 0 && digits != std::string_view::npos && name[digits] == '_')
    return FileRole::SqlMigration;
  return FileRole::Stray;
}

Diagnostic about_file(Severity severity, std::string message, std::string help) {
  return {severity, nullptr, {}, std::move(message), std::move(help), {}};
}

}  // namespace

Compilation compile_directory(const fs::path& dir, const CompileOptions& options) {
  std::error_code error;
  std::vector<std::string> paths;
  Diagnostics about_files;
  // Read with readdir, not fs::directory_iterator, which builds an fs::path for every entry:
  // listing 2,000 files took 1.5 ms before the second thread could start.
  std::unique_ptr<DIR, int (*)(DIR*)> listing(opendir(dir.c_str()), closedir);
  if (!listing) error.assign(errno, std::generic_category());
  auto prefix = dir.string();
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  while (listing) {
    errno = 0;
    const auto* entry = readdir(listing.get());
    if (!entry) {
      if (errno) error.assign(errno, std::generic_category());
      break;
    }
    auto name = prefix + entry->d_name;
    std::error_code not_followed;
    const bool regular =
        entry->d_type == DT_REG || ((entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) &&
                                    fs::is_regular_file(name, not_followed));
    if (!regular) continue;
    switch (role_of(entry->d_name)) {
      case FileRole::Migration:
        paths.push_back(std::move(name));
        break;
      case FileRole::MisnamedMigration:
        about_files.push_back(about_file(
            Severity::Error, fmt::format("`{}` is not read: migrations end in `.mig`", name),
            fmt::format("rename it to `{}`", fs::path(entry->d_name).stem().string() + ".mig")));
        break;
      case FileRole::SqlMigration:
        about_files.push_back(about_file(
            Severity::Error,
            fmt::format("`{}` looks like a migration but is not read: migrations are `.mig` files",
                        name),
            "put its SQL in a `sql { ... } down { ... }` block of a `.mig` file, or move it out "
            "of the directory (`mig lint` checks plain .sql files)"));
        break;
      case FileRole::Stray:
        about_files.push_back(about_file(
            Severity::Warning,
            fmt::format("`{}` is not a migration (`NNNN_name.mig`) and is ignored", name),
            "move it out of the migrations directory"));
        break;
      case FileRole::Ignored:
        break;
    }
  }
  std::sort(about_files.begin(), about_files.end(),
            [](const Diagnostic& a, const Diagnostic& b) { return a.message < b.message; });
  if (error || paths.empty()) {
    Compilation c;
    c.diagnostics = std::move(about_files);
    c.diagnostics.push_back(
        {Severity::Error,
         nullptr,
         {},
         error ? fmt::format("cannot read directory `{}`: {}", dir.string(), error.message())
               : fmt::format("no `.mig` files in `{}`", dir.string()),
         {},
         {}});
    return c;
  }
  std::sort(paths.begin(), paths.end());  // all in one directory: as their names sort
  std::vector<Input> inputs;
  for (auto& p : paths) inputs.push_back({std::move(p), std::nullopt});
  auto c = compile_inputs(std::move(inputs), options);
  c.diagnostics.insert(c.diagnostics.begin(), about_files.begin(), about_files.end());
  return c;
}

}  // namespace mig
