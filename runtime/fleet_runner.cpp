#include "runtime/fleet_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <thread>

#include "plan/default_schema.hpp"
#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

using Clock = std::chrono::steady_clock;

// A target runner's output: each complete line goes to the progress display.
class ActivityStream : public std::streambuf {
 public:
  ActivityStream(FleetProgress& progress, std::string target)
      : progress_(progress), target_(std::move(target)) {}

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return c;
    if (c == '\n') {
      progress_.activity(target_, line_);
      line_.clear();
    } else {
      line_ += static_cast<char>(c);
    }
    return c;
  }

 private:
  FleetProgress& progress_;
  std::string target_;
  std::string line_;
};

// The migration a stopped or failed attempt left behind, and that attempt's error.
void note_stopped_migration(const StatusReport& report, TargetResult& result) {
  for (const auto& s : report.migrations) {
    if (s.state != MigrationState::Failed && s.state != MigrationState::PartiallyApplied &&
        s.state != MigrationState::PartiallyReverted)
      continue;
    result.failed_migration = migration_stem(*s.migration);
    if (result.error.empty() && s.latest && s.latest->error) result.error = *s.latest->error;
    if (result.error.empty())
      result.error = fmt::format("{} is {}", result.failed_migration, to_string(s.state));
    return;
  }
}

void run_target(const FleetRequest& request, const Plan& plan, const FleetTarget& target,
                DriftReplays& replays, std::ostream& out, TargetResult& result) {
  auto options = request.run_options;
  options.progress_bar = false;
  options.tenant_schema = target.tenant_schema;
  // The drift check of `up` replays the whole history on a scratch server of its own: once
  // per target it would cost more than the fleet's migrations (`mig drift` on a fleet
  // replays once per version).
  options.check_drift = false;
  std::unique_ptr<Runner> runner;
  try {
    runner = std::make_unique<Runner>(target.url, options, out);
    switch (request.command) {
      case FleetCommand::Up: {
        result.version_before = database_version(runner->status(plan).migrations);
        try {
          runner->up(plan, request.to_version);
          result.status = "done";
        } catch (const RuntimeError& e) {
          result.status = "failed";
          result.failed = true;
          result.error = e.what();
        }
        const auto after = runner->status(plan);
        result.version = database_version(after.migrations);
        if (result.failed) note_stopped_migration(after, result);
        return;
      }
      case FleetCommand::Status: {
        const auto report = runner->status(plan);
        result.version = database_version(report.migrations);
        switch (readiness(report)) {
          case Readiness::AtHead:
            result.status = "at head";
            return;
          case Readiness::Pending:
            result.status = "pending";
            return;
          case Readiness::NeedsAttention:
            result.status = "needs attention";
            result.failed = true;
            for (const auto& mismatch : report.mismatches)
              result.error += (result.error.empty() ? "" : "\n") + mismatch;
            note_stopped_migration(report, result);
            return;
        }
        return;
      }
      case FleetCommand::Verify: {
        const auto report = runner->status(plan);
        result.version = database_version(report.migrations);
        result.failed = !report.mismatches.empty();
        result.status = result.failed ? "mismatch" : "ok";
        for (const auto& mismatch : report.mismatches)
          result.error += (result.error.empty() ? "" : "\n") + mismatch;
        return;
      }
      case FleetCommand::Drift: {
        const auto report = runner->drift(plan, replays);
        result.version = report.version;
        result.failed = !report.differences.empty();
        result.status = result.failed ? "drift" : "ok";
        for (const auto& difference : report.differences) {
          result.differences.push_back(describe(difference, report.version));
          result.error += (result.error.empty() ? "" : "\n") + result.differences.back();
        }
        return;
      }
    }
  } catch (const RuntimeError& e) {
    result.failed = true;
    result.status = "failed";
    if (result.error.empty())
      result.error = e.what();
    else
      result.error += fmt::format("\n(and reading its state afterwards failed: {})", e.what());
  } catch (const std::exception& e) {
    result.failed = true;
    result.status = "failed";
    result.error = e.what();
  }
}

// Hands out a wave's targets to worker threads, at most `jobs` at a time and at most
// `jobs_per_host` on one host, until they run out or a failure stops the fleet.
class WaveScheduler {
 public:
  WaveScheduler(const std::vector<FleetTarget>& targets, std::vector<std::size_t> wave,
                const FleetOptions& options)
      : targets_(targets), waiting_(std::move(wave)), options_(options) {}

  // The next target to run, or nothing when the worker should stop.
  std::optional<std::size_t> take() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (stopped_ || waiting_.empty()) return std::nullopt;
      const auto ready = std::find_if(waiting_.begin(), waiting_.end(), [&](std::size_t i) {
        return options_.jobs_per_host <= 0 ||
               running_on_[targets_[i].host] < options_.jobs_per_host;
      });
      if (ready != waiting_.end()) {
        const auto index = *ready;
        waiting_.erase(ready);
        ++running_on_[targets_[index].host];
        return index;
      }
      changed_.wait(lock);
    }
  }

  void done(std::size_t index, bool failed) {
    std::lock_guard lock(mutex_);
    --running_on_[targets_[index].host];
    if (failed && !options_.continue_on_error) stopped_ = true;
    changed_.notify_all();
  }

  bool stopped() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

 private:
  const std::vector<FleetTarget>& targets_;
  std::vector<std::size_t> waiting_;
  const FleetOptions& options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, int> running_on_;
  bool stopped_ = false;
};

}  // namespace

std::vector<TargetResult> run_fleet(const std::vector<FleetTarget>& targets,
                                    const FleetRequest& request, FleetProgress& progress) {
  const auto fleet_start = Clock::now();
  const auto since_start = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - fleet_start)
        .count();
  };
  // Read-only commands look at every target; only `up` stops or goes in waves.
  auto options = request.fleet;
  if (request.command != FleetCommand::Up) {
    options.continue_on_error = true;
    options.canary = 0;
  }
  std::vector<TargetResult> results(targets.size());
  std::vector<std::vector<std::size_t>> waves(1);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    results[i].target = targets[i];
    if (options.canary > 0 && i == static_cast<std::size_t>(options.canary)) waves.emplace_back();
    waves.back().push_back(i);
    results[i].wave = static_cast<int>(waves.size());
  }
  // A plan for each tenant schema, placed once per schema.
  std::map<std::string, Plan> placed;
  for (const auto& target : targets)
    if (target.tenant_schema && !placed.count(*target.tenant_schema))
      placed.emplace(*target.tenant_schema,
                     place_default_schema(*request.plan, *target.tenant_schema));

  DriftReplays replays(*request.plan);

  std::string stop_reason;
  for (std::size_t w = 0; w < waves.size() && stop_reason.empty(); ++w) {
    if (waves.size() > 1)
      progress.note(w == 0 ? fmt::format("canary wave: {} target{}", waves[w].size(),
                                         waves[w].size() == 1 ? "" : "s")
                           : fmt::format("canaries done; the remaining {} target{}",
                                         waves[w].size(), waves[w].size() == 1 ? "" : "s"));
    WaveScheduler scheduler(targets, waves[w], options);
    const auto workers =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(1, options.jobs)), waves[w].size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < workers; ++t) {
      threads.emplace_back([&] {
        while (const auto index = scheduler.take()) {
          const auto& target = targets[*index];
          auto& result = results[*index];
          progress.started(target.name);
          result.started_ms = since_start();
          ActivityStream activity(progress, target.name);
          std::ostream out(&activity);
          const auto& plan =
              target.tenant_schema ? placed.at(*target.tenant_schema) : *request.plan;
          run_target(request, plan, target, replays, out, result);
          result.finished_ms = since_start();
          progress.finished(result);
          scheduler.done(*index, result.failed);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const bool wave_failed = std::any_of(waves[w].begin(), waves[w].end(),
                                         [&](std::size_t i) { return results[i].failed; });
    if (scheduler.stopped())
      stop_reason = "not run: the fleet stopped at the first failure (--continue-on-error goes on)";
    else if (w == 0 && waves.size() > 1 && wave_failed)
      stop_reason = "not run: a canary target failed";
  }
  for (auto& result : results)
    if (result.started_ms < 0) result.error = stop_reason;
  progress.finish();
  return results;
}

}  // namespace mig
