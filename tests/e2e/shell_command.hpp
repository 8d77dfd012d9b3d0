#pragma once

// For end-to-end tests: a shell command run in a directory, its standard output captured.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace mig::test {

struct ShellRun {
  int exit_code = -1;
  std::string out;  // standard output; standard error goes to the test's
};

// Runs `command` with `sh -c` in `dir`.
inline ShellRun run_shell(const std::filesystem::path& dir, const std::string& command) {
  const auto full = "cd '" + dir.string() + "' && " + command;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(full.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  ShellRun run;
  std::array<char, 4096> buffer;
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe.get()))
    run.out.append(buffer.data(), n);
  const int status = pclose(pipe.release());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// `text` quoted for sh: any text, as one word.
inline std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace mig::test
