#include "tests/e2e/mig_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

namespace mig::test {

namespace {

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

MigRun run_mig(const std::string& arguments) {
  const auto command = fmt::format("'{}' {} 2>&1", MIG_BINARY, arguments);
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  MigRun run;
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) run.output.append(buffer, n);
  run.exit_code = exit_code_of(pclose(pipe));
  return run;
}

pid_t start_mig(const std::vector<std::string>& arguments, const std::filesystem::path& output) {
  std::vector<char*> argv{const_cast<char*>("mig")};
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int file = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(file, STDOUT_FILENO);
    dup2(file, STDERR_FILENO);
    execv(MIG_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_mig(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return exit_code_of(status);
}

int stop_mig(pid_t pid, int signal) {
  kill(pid, signal);
  return wait_mig(pid);
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

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mig::test
