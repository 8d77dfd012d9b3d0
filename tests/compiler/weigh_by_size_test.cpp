// How `mig lint --db` weighs findings by table size, with sizes given here (the reading of
// them from a database is tested in tests/e2e/lint_table_size_test.cpp).

#include "compiler/lint/weigh_by_size.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "compiler/lint/linter.hpp"
#include "compiler/lint/registry.hpp"

namespace {

mig::LintResult lint(const std::string& second_migration) {
  return mig::lint_migration_sources({{"0001_create.mig",
                                       "create table users {\n  id bigint primary key\n  email "
                                       "text\n  age int\n  org_id bigint\n}\n"
                                       "create table orgs {\n  id bigint primary key\n}\n"},
                                      {"0002_change.mig", second_migration}},
                                     {});
}

const mig::Finding& only(const mig::LintResult& result, const std::string& rule) {
  const mig::Finding* found = nullptr;
  for (const auto& f : result.findings)
    if (f.rule == rule) {
      REQUIRE(found == nullptr);
      found = &f;
    }
  REQUIRE(found != nullptr);
  return *found;
}

const mig::TableName kUsers{"public", "users"};
const mig::TableName kOrgs{"public", "orgs"};

}  // namespace

TEST_CASE("lint --db: the tables to read are those the weighed findings lock") {
  const auto result = lint(
      "alter table users alter column email set not null\n"
      "alter table users add foreign key users_org_fk (org_id) references orgs (id)\n"
      "alter table users rename column age to years\n");
  // set-not-null-scan and constraint-without-not-valid are weighed, rename-column is not.
  CHECK(mig::tables_to_weigh(result) == std::vector<mig::TableName>{kUsers, kOrgs});
}

TEST_CASE("lint --db: a finding on small tables becomes a note with their sizes") {
  auto result =
      lint("alter table users add foreign key users_org_fk (org_id) references orgs (id)\n");
  const auto message = only(result, "constraint-without-not-valid").message;
  mig::weigh_by_size(result, {{kUsers, {1.0, 8192, 24576}}, {kOrgs, {std::nullopt, 0, 8192}}}, {});
  const auto& f = only(result, "constraint-without-not-valid");
  CHECK(f.severity == mig::Severity::Note);
  CHECK(f.message == message +
                         "; public.users: ~1 row, 24 kB; public.orgs: rows not counted yet "
                         "(never analyzed), 8192 bytes: small in this database, so a note");
}

TEST_CASE("lint --db: a large table says how long its lock is likely held") {
  auto result = lint("alter table users alter column age type bigint\n");
  const auto message = only(result, "type-change-rewrite").message;
  mig::TableSizeSettings settings;
  settings.rewrite_mb_per_s = 10;
  // 20 GB of table and 8 GB of indexes: the rewrite writes both.
  mig::weigh_by_size(result, {{kUsers, {2.5e8, 20LL << 30, 28LL << 30}}}, settings);
  const auto& f = only(result, "type-change-rewrite");
  CHECK(f.severity == mig::Severity::Warning);
  CHECK(f.message == message +
                         "; public.users: ~250M rows, 28 GB: a rewrite holds ACCESS EXCLUSIVE "
                         "for roughly 48 min at 10 MB/s");
}

TEST_CASE("lint --db: more rows than small_rows is not small, even in few bytes") {
  auto result = lint("alter table users alter column email set not null\n");
  mig::weigh_by_size(result, {{kUsers, {20000.0, 1 << 20, 1 << 20}}}, {});
  const auto& f = only(result, "set-not-null-scan");
  CHECK(f.severity == mig::Severity::Warning);
  CHECK(f.message.ends_with(
      "; public.users: ~20k rows, 1024 kB: the scan holds ACCESS EXCLUSIVE for under a second at "
      "200 MB/s"));
}

TEST_CASE("lint --db: a finding on a table the database does not have is left as it was") {
  auto result = lint("alter table users alter column email set not null\n");
  const auto before = only(result, "set-not-null-scan");
  mig::weigh_by_size(result, {{kOrgs, {1.0, 8192, 8192}}}, {});
  const auto& f = only(result, "set-not-null-scan");
  CHECK(f.severity == before.severity);
  CHECK(f.message == before.message);
}

TEST_CASE("mig.toml [table_size] sets the thresholds and throughputs") {
  const auto file = std::filesystem::temp_directory_path() / "mig-table-size-test.toml";
  const auto config = [&](const std::string& text) {
    std::ofstream(file) << text;
    return mig::read_lint_config(file);
  };
  const auto options = config(
      "[table_size]\nsmall_rows = 0\nsmall_mb = 1.5\nscan_mb_per_s = 300\n"
      "index_mb_per_s = 40\nrewrite_mb_per_s = 30\n");
  CHECK(options.table_size.small_rows == 0);
  CHECK(options.table_size.small_bytes == 1572864);
  CHECK(options.table_size.scan_mb_per_s == 300);
  CHECK(options.table_size.index_mb_per_s == 40);
  CHECK(options.table_size.rewrite_mb_per_s == 30);
  CHECK_THROWS_WITH(config("[table_size]\nscan_mb_per_s = 0\n"),
                    file.string() + ":2:17: `scan_mb_per_s` must be a number above 0");
  CHECK_THROWS_WITH(config("[table_size]\nsmall_rows = -1\n"),
                    file.string() + ":2:14: `small_rows` must be a number, 0 or more");
  CHECK_THROWS_WITH(config("[table_size]\nbig = 1\n"),
                    Catch::Contains("unknown key `big` in [table_size]"));
  std::filesystem::remove(file);
}

TEST_CASE("the rules weighed by table size say so on their page") {
  for (const auto& rule : mig::all_rules()) {
    INFO(rule->id());
    const bool says = mig::rule_doc(rule->id()).find("mig lint --db") != std::string_view::npos;
    CHECK(says == rule->grows_with_table());
  }
}
