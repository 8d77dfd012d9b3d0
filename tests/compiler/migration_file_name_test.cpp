// How migration files are named: what `parse_migration_file_name` reads and what it refuses.

#include "compiler/source/migration_file_name.hpp"

#include <catch2/catch.hpp>

using mig::parse_migration_file_name;

TEST_CASE("a migration file name gives its number, name and width", "[file-name]") {
  const auto plain = parse_migration_file_name("0007_add_user_status.mig");
  REQUIRE(plain);
  CHECK(plain->number == 7);
  CHECK(plain->name == "add_user_status");
  CHECK(plain->digits == 4);

  const auto wide = parse_migration_file_name("000123_v2_backfill_.mig");
  REQUIRE(wide);
  CHECK(wide->number == 123);
  CHECK(wide->name == "v2_backfill_");
  CHECK(wide->digits == 6);

  const auto one_letter = parse_migration_file_name("2024_x.mig");
  REQUIRE(one_letter);
  CHECK(one_letter->number == 2024);
  CHECK(one_letter->name == "x");
}

TEST_CASE("names that do not follow NNNN_snake_name.mig are refused", "[file-name]") {
  for (const char* name :
       {"007_three_digits.mig", "0007-dash.mig", "0007_.mig", "0007_Upper.mig", "0007_a-b.mig",
        "0007_a b.mig", "0007_add.MIG", "0007_add.mig.bak", "0007_add.sql", "0007add.mig",
        "_0007_add.mig", "add_0007.mig", "0007_add.migx", "0007", "0007_", ".mig", "", "0007_é.mig",
        "99999999999_too_big.mig"})
    CHECK_FALSE(parse_migration_file_name(name));
}

TEST_CASE("a migration name is what may follow the number", "[file-name]") {
  CHECK(mig::is_migration_name("add_users"));
  CHECK(mig::is_migration_name("v2"));
  CHECK_FALSE(mig::is_migration_name(""));
  CHECK_FALSE(mig::is_migration_name("Add"));
  CHECK_FALSE(mig::is_migration_name("add users"));
  CHECK(mig::migration_file_name(7, "add_users", 5) == "00007_add_users.mig");
}
