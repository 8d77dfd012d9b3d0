#pragma once

// For end-to-end tests: the `mig` program (MIG_BINARY) run as a child process, to its end or
// killed at any moment, and one-line queries against the scratch databases it works on.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace mig::test {

class MigProcess {
 public:
  MigProcess(const std::vector<std::string>& arguments, std::filesystem::path log);
  ~MigProcess();  // kills the process if it still runs
  MigProcess(const MigProcess&) = delete;
  MigProcess& operator=(const MigProcess&) = delete;

  bool running();
  void kill();  // SIGKILL, then reaps it
  // Waits until the process exits or `limit` passes; kills it then. True when it exited by itself.
  bool wait(std::chrono::milliseconds limit);

  bool succeeded() const;                 // exited with status 0
  std::string outcome() const;            // "exited with 1", "killed by signal 9", "still running"
  std::string output() const;             // stdout and stderr so far, interleaved
  std::chrono::milliseconds age() const;  // since it started

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::filesystem::path log_;
  std::chrono::steady_clock::time_point started_;
};

struct MigRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `mig ARGUMENTS` (a shell-quoted argument string) to its end.
MigRun run_mig(const std::string& arguments);

void execute(const std::string& url, const std::string& statements);
long long number(const std::string& url, const std::string& query);
// Polls `query` until it returns `wanted`, for at most a minute; returns the last value.
long long wait_for(const std::string& url, const std::string& query, long long wanted);

}  // namespace mig::test
