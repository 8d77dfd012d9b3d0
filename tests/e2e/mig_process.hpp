#pragma once

// For end-to-end tests: the real `mig` program run as a child process, and a few one-line
// queries against the scratch databases it works on.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mig::test {

struct MigRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `mig ARGS` (a shell-quoted argument string) to its end.
MigRun run_mig(const std::string& arguments);

// Starts `mig ARGS` in the background, its output going to `output`; returns its pid.
pid_t start_mig(const std::vector<std::string>& arguments, const std::filesystem::path& output);
// Sends `signal` to a started mig and waits for it; returns its exit code, or 128 + the signal
// that ended it.
int stop_mig(pid_t, int signal);
int wait_mig(pid_t);

void execute(const std::string& url, const std::string& statements);
long long number(const std::string& url, const std::string& query);
// Polls `query` until it returns `wanted`, for at most a minute; returns the last value.
long long wait_for(const std::string& url, const std::string& query, long long wanted);

std::string read_text(const std::filesystem::path&);

}  // namespace mig::test
