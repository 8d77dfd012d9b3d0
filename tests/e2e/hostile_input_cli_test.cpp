// A migration with a byte that is not UTF-8 (a file saved as Latin-1), through every
// command that compiles it: a located error and exit 1, never an abort.

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

struct Run {
  int code = -1;
  std::string output;  // stdout and stderr
};

Run mig(const fs::path& dir, const std::string& args) {
  const auto err_file = dir / ".stderr";
  const auto command = "cd '" + dir.string() + "' && '" + MIG_BINARY + "' " + args + " >'" +
                       err_file.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  Run run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file, std::ios::binary);
  run.output.assign(std::istreambuf_iterator<char>(in), {});
  return run;
}

}  // namespace

TEST_CASE("a Latin-1 byte is a located error in compile, lint, sql and up", "[hostile]") {
  const auto dir = fs::temp_directory_path() / "mig-e2e-latin1";
  fs::remove_all(dir);
  fs::create_directories(dir / "migrations");
  std::ofstream(dir / "migrations" / "0001_create.mig", std::ios::binary)
      << "create table a {\n  id bigint primary key\n  name text default 'caf\xe9'\n}\n";
  const std::string located =
      "migrations/0001_create.mig:3:25: error: byte 0xE9 is not valid UTF-8";
  for (const auto* command : {"compile migrations -o plan", "lint migrations", "sql migrations",
                              "up migrations --db postgresql://nobody@127.0.0.1:1/none"}) {
    INFO(command);
    const auto run = mig(dir, command);
    CHECK(run.code == 1);
    CHECK(run.output.find(located) != std::string::npos);
  }
  fs::remove_all(dir);
}
