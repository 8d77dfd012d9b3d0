// Numbering migration files: `mig new` writes the next one, two branches that each added the
// next number fail to compile with one error naming both files, `mig renumber` repairs that,
// and a file numbered below one a database has applied is refused by `mig up` and shown by
// `mig status` until it is renumbered.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;

namespace mig::test {
namespace {

struct MigrationsDir {
  fs::path path = fs::temp_directory_path() / fmt::format("mig-numbering-{}", getpid());
  MigrationsDir() { fs::remove_all(path); }
  ~MigrationsDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::app) << text;
  }
};

TEST_CASE("mig new writes the next numbered file and renumber repairs a merge", "[e2e]") {
  MigrationsDir dir;
  const auto at = [&](const std::string& name) { return (dir.path / name).string(); };
  const auto first = run_mig(fmt::format("new create_items '{}'", dir.path.string()));
  CHECK(first.exit_code == 0);
  CHECK(first.output == at("0001_create_items.mig") + "\n");
  const auto header = read_text(at("0001_create_items.mig"));
  CHECK_THAT(header, Catch::StartsWith("# 0001_create_items.mig\n"));
  CHECK_THAT(header, Catch::Contains("docs/language.md"));
  dir.write("0001_create_items.mig", "create table items {\n  id bigint primary key\n}\n");

  CHECK(run_mig(fmt::format("new add_items_label '{}'", dir.path.string())).output ==
        at("0002_add_items_label.mig") + "\n");
  dir.write("0002_add_items_label.mig", "alter table items add column label text\n");

  const auto bad = run_mig(fmt::format("new Add-Label '{}'", dir.path.string()));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("`Add-Label` cannot name a migration"));

  // Another branch also added migration 2.
  dir.write("0002_add_items_note.mig", "alter table items add column note text\n");
  const auto duplicate = run_mig(fmt::format("sql '{}'", dir.path.string()));
  CHECK(duplicate.exit_code == 1);
  CHECK_THAT(duplicate.output, Catch::Contains(fmt::format(
                                   "migration number 0002 is used by 2 files: `{}`, `{}`",
                                   at("0002_add_items_label.mig"), at("0002_add_items_note.mig"))));
  CHECK_THAT(duplicate.output, Catch::Contains("run `mig renumber`"));

  const auto dry_run = run_mig(fmt::format("renumber '{}' --dry-run", dir.path.string()));
  CHECK(dry_run.exit_code == 0);
  CHECK(dry_run.output ==
        fmt::format("would rename {} -> 0003_add_items_note.mig\n", at("0002_add_items_note.mig")));
  CHECK(fs::exists(at("0002_add_items_note.mig")));

  CHECK(run_mig(fmt::format("renumber '{}'", dir.path.string())).exit_code == 0);
  CHECK(fs::exists(at("0002_add_items_label.mig")));
  CHECK(fs::exists(at("0003_add_items_note.mig")));
  CHECK_FALSE(fs::exists(at("0002_add_items_note.mig")));
  const auto compiled = run_mig(fmt::format("sql '{}'", dir.path.string()));
  CHECK(compiled.exit_code == 0);
  CHECK(compiled.output.find("-- 0002_add_items_label upgrade") <
        compiled.output.find("-- 0003_add_items_note upgrade"));
  CHECK_THAT(run_mig(fmt::format("renumber '{}'", dir.path.string())).output,
             Catch::Contains("nothing to renumber"));
  CHECK(run_mig(fmt::format("new add_index '{}'", dir.path.string())).output ==
        at("0004_add_index.mig") + "\n");
}

TEST_CASE("a file numbered below an applied migration is refused until renumbered", "[e2e]") {
  ScratchServer server;
  const auto url = server.create_database("numbered_below");
  MigrationsDir dir;
  fs::create_directories(dir.path);
  dir.write("0001_create_items.mig", "create table items {\n  id bigint primary key\n}\n");
  dir.write("0003_add_items_note.mig", "alter table items add column note text\n");
  const auto on_database = [&](const std::string& command) {
    return run_mig(fmt::format("{} '{}' --db '{}'", command, dir.path.string(), url));
  };
  REQUIRE(on_database("up").exit_code == 0);

  // Merged from a branch that numbered its migration before 0003 was applied.
  dir.write("0002_add_items_label.mig", "alter table items add column label text\n");
  const auto sentence =
      "0002_add_items_label.mig is not applied but is numbered below 0003_add_items_note.mig";
  const auto refused = on_database("up");
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Catch::Contains(sentence));
  CHECK_THAT(refused.output, Catch::Contains("`mig renumber --last 0002_add_items_label.mig`"));
  const auto status = on_database("status");
  CHECK(status.exit_code == 1);
  CHECK_THAT(status.output, Catch::Contains(sentence));
  CHECK(on_database("sql --pending").exit_code == 1);
  CHECK(number(url,
               "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND "
               "column_name = 'label'") == 0);

  const auto renumbered =
      run_mig(fmt::format("renumber '{}' --last 0002_add_items_label.mig", dir.path.string()));
  CHECK(renumbered.output == fmt::format("renamed {} -> 0004_add_items_label.mig\n",
                                         (dir.path / "0002_add_items_label.mig").string()));
  const auto pending = on_database("sql --pending");
  CHECK(pending.exit_code == 0);
  CHECK_THAT(pending.output, Catch::Contains("-- 0004_add_items_label upgrade"));
  CHECK_THAT(pending.output, !Catch::Contains("0003_add_items_note upgrade"));
  CHECK(on_database("up").exit_code == 0);
  CHECK(on_database("status").exit_code == 0);
  CHECK(number(url,
               "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND "
               "column_name = 'label'") == 1);
}

}  // namespace
}  // namespace mig::test
