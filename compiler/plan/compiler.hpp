#pragma once

// The whole pipeline for a migrations directory: load the files in version order, parse
// each, check every operation against the schema model built from everything before it,
// and lower the operations to planned upgrade and downgrade steps.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/effects/effect.hpp"
#include "compiler/ops/operation.hpp"
#include "compiler/parse/parser.hpp"
#include "plan/plan.hpp"

namespace mig {

// A statement of a migration as planned: what it does and the upgrade steps it runs as.
struct PlannedStatement {
  StatementEffects what;
  std::size_t first_step = 0;  // its steps are plan.up[first_step, end_step)
  std::size_t end_step = 0;
  Reversal reversal;
};

struct CompiledMigration {
  int version = 0;
  std::string name;
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
  PlanMigration plan;  // without checksums: Compilation::plan() adds them
  std::vector<PlannedStatement> statements;
};

// Called after each migration is planned, with the model it left (lint).
using MigrationObserver = std::function<void(const CompiledMigration&, const SchemaModel& after)>;

struct CompileOptions {
  int target_pg_version = 15;
  // false: no downgrade steps are planned (`plan.down` stays empty), for commands that
  // neither show nor run them; reversibility is still decided.
  bool downgrades = true;
  // false: each migration's `statements` are dropped once the observer has seen them.
  bool keep_statements = false;
  MigrationObserver migration_observer;
};

struct Compilation {
  std::vector<CompiledMigration> migrations;
  Diagnostics diagnostics;
  SchemaModel model;  // after the last migration
  int target_pg_version = 15;
  // The plan with its source and plan checksums, computed here because only a plan that
  // is written or run needs them.
  Plan plan() const;
};

struct SourceText {
  std::string path;  // its file name must follow NNNN_name.mig
  std::string text;
};

Compilation compile_sources(std::vector<SourceText> sources, const CompileOptions& = {});
// Reads every *.mig file of `dir`; an unreadable directory is reported as a diagnostic.
Compilation compile_directory(const std::filesystem::path& dir, const CompileOptions& = {});

// Numbers transactions: consecutive transactional steps share one, steps that must run
// alone get none, and a step that scans under a weak lock (VALIDATE CONSTRAINT) starts a
// new transaction when the open one already holds a lock that blocks writes, so the
// strong lock is not held through the scan.
void plan_transactions(std::vector<PlanStep>& steps);

}  // namespace mig
