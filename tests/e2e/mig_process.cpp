#include "tests/e2e/mig_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mig::test {

MigProcess::MigProcess(const std::vector<std::string>& arguments, std::filesystem::path log)
    : log_(std::move(log)), started_(std::chrono::steady_clock::now()) {
  // Everything the child needs is prepared before fork: the child only redirects and execs.
  std::vector<char*> argv;
  static char program[] = "mig";
  argv.push_back(program);
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const int log_fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log_.string());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(MIG_BINARY, argv.data());
    _exit(127);
  }
  close(log_fd);
  if (pid_ < 0) throw std::runtime_error("cannot fork to run mig");
}

MigProcess::~MigProcess() {
  if (running()) kill();
}

bool MigProcess::running() {
  if (!reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

void MigProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status_, 0);
  reaped_ = true;
}

bool MigProcess::wait(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

bool MigProcess::succeeded() const {
  return reaped_ && WIFEXITED(status_) && WEXITSTATUS(status_) == 0;
}

std::string MigProcess::outcome() const {
  if (!reaped_) return "still running";
  if (WIFEXITED(status_)) return fmt::format("exited with {}", WEXITSTATUS(status_));
  return fmt::format("killed by signal {}", WTERMSIG(status_));
}

std::string MigProcess::output() const {
  std::ifstream in(log_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::chrono::milliseconds MigProcess::age() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started_);
}

MigRun run_mig(const std::string& arguments) {
  const auto command = fmt::format("'{}' {} 2>&1", MIG_BINARY, arguments);
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  MigRun run;
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

void execute(const std::string& url, const std::string& statements) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  session.exec(statements);
}

long long number(const std::string& url, const std::string& query) {
  pqxx::connection connection{url};
  pqxx::nontransaction session{connection};
  return session.exec1(query)[0].as<long long>();
}

long long wait_for(const std::string& url, const std::string& query, long long wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  long long value = number(url, query);
  while (value != wanted && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    value = number(url, query);
  }
  return value;
}

}  // namespace mig::test
