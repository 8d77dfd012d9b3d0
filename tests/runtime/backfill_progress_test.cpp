#include "runtime/backfill_progress.hpp"

#include <catch2/catch.hpp>

namespace mig::test {
namespace {

TEST_CASE("a backfill's progress line shows the share walked, the rate and the time left") {
  const BackfillCounts counts{500000, 2000000, 498000, 250000.0};
  CHECK(progress_line(counts, true) ==
        "[#####---------------]  25 %  500000 of ~2000000 rows walked, 498000 changed, "
        "250000 rows/s, 6 s left");
  CHECK(progress_line(counts, false) ==
        " 25 %  500000 of ~2000000 rows walked, 498000 changed, 250000 rows/s, 6 s left");
}

TEST_CASE("a backfill's progress line without a row estimate shows what it knows") {
  CHECK(progress_line({1500, std::nullopt, 700, 300.0}, true) ==
        "1500 rows walked, 700 changed, 300 rows/s");
}

TEST_CASE(
    "a backfill's time left reads in minutes and hours, and an estimate passed stays shy "
    "of done") {
  CHECK_THAT(progress_line({1000, 126000, 0, 1000.0}, false), Catch::EndsWith("2 min 05 s left"));
  CHECK_THAT(progress_line({1000, 4001000, 0, 1000.0}, false), Catch::EndsWith("1 h 06 min left"));
  CHECK(progress_line({3000, 2000, 3000, 1000.0}, false) ==
        " 99 %  3000 of ~3000 rows walked, 3000 changed, 1000 rows/s, 0 s left");
}

}  // namespace
}  // namespace mig::test
