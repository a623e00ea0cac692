// Month ends, leap days and AWS's L, W and # forms; crons that never fire; search cost.
#include <chrono>

#include "schedule_test_support.h"

namespace rawfeed::schedule::test {
namespace {

class CalendarTest : public testing::TestWithParam<NextCase> {};

TEST_P(CalendarTest, NextFires) {
  expectNextFires(GetParam());
}

constexpr const char* kCalendarNewYear = "2024-01-01T00:00:00Z";

INSTANTIATE_TEST_SUITE_P(
    MonthEnds, CalendarTest,
    testing::Values(
        NextCase{"ThirtyFirstOnlyInLongMonths",
                 "cron(0 0 31 * ? *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z",
                  "2024-07-31T00:00:00Z", "2024-08-31T00:00:00Z"}},
        NextCase{"LeapDayFromMarch",
                 "cron(0 12 29 2 ? *)",
                 "UTC",
                 "2024-03-01T00:00:00Z",
                 {"2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"}},
        NextCase{"LeapDaySkips2100",
                 "cron(0 12 29 2 ? *)",
                 "UTC",
                 "2097-01-01T00:00:00Z",
                 {"2104-02-29T12:00:00Z"}},
        NextCase{"FebruaryThirtiethNever", "cron(0 0 30 2 ? *)", "UTC", kCalendarNewYear, {"none"}},
        NextCase{"ThirtyFirstOfShortMonthsNever",
                 "cron(0 0 31 4,6,9,11 ? *)",
                 "UTC",
                 kCalendarNewYear,
                 {"none"}},
        NextCase{"PastYearNever", "cron(0 0 1 1 ? 2020)", "UTC", kCalendarNewYear, {"none"}}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Last, CalendarTest,
    testing::Values(
        NextCase{"LastDay",
                 "cron(0 12 L * ? *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-31T12:00:00Z", "2024-02-29T12:00:00Z", "2024-03-31T12:00:00Z",
                  "2024-04-30T12:00:00Z"}},
        NextCase{"LastDayOfFebruary",
                 "cron(0 12 L 2 ? *)",
                 "UTC",
                 "2025-01-01T00:00:00Z",
                 {"2025-02-28T12:00:00Z", "2026-02-28T12:00:00Z", "2027-02-28T12:00:00Z",
                  "2028-02-29T12:00:00Z"}},
        NextCase{"LastDayMinusTwo",
                 "cron(0 12 L-2 * ? *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-29T12:00:00Z", "2024-02-27T12:00:00Z", "2024-03-29T12:00:00Z"}},
        NextCase{"LastFriday",
                 "cron(0 18 ? * 6L *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-26T18:00:00Z", "2024-02-23T18:00:00Z", "2024-03-29T18:00:00Z"}},
        NextCase{"LastSaturdayByName",
                 "cron(0 18 ? * SATL *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-27T18:00:00Z", "2024-02-24T18:00:00Z", "2024-03-30T18:00:00Z"}}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    NearestWeekday, CalendarTest,
    testing::Values(
        // 2024-06-15 is a Saturday and 2024-09-15 a Sunday.
        NextCase{"Fifteenth",
                 "cron(0 9 15W * ? *)",
                 "UTC",
                 "2024-06-01T00:00:00Z",
                 {"2024-06-14T09:00:00Z", "2024-07-15T09:00:00Z", "2024-08-15T09:00:00Z",
                  "2024-09-16T09:00:00Z"}},
        // 2024-06-01 is a Saturday: Monday the 3rd, not Friday May 31st. 2024-09-01 is a Sunday.
        NextCase{"FirstNeverLeavesTheMonth",
                 "cron(0 9 1W * ? *)",
                 "UTC",
                 "2024-05-15T00:00:00Z",
                 {"2024-06-03T09:00:00Z", "2024-07-01T09:00:00Z", "2024-08-01T09:00:00Z",
                  "2024-09-02T09:00:00Z"}},
        // 2024-06-30 is a Sunday and the month's last day: back to Friday the 28th.
        NextCase{"LastDaySundayMovesBack",
                 "cron(0 9 30W * ? *)",
                 "UTC",
                 "2024-06-01T00:00:00Z",
                 {"2024-06-28T09:00:00Z", "2024-07-30T09:00:00Z"}},
        // Months without a 31st do not fire; 2024-08-31 is a Saturday.
        NextCase{"ThirtyFirst",
                 "cron(0 9 31W * ? *)",
                 "UTC",
                 "2024-04-01T00:00:00Z",
                 {"2024-05-31T09:00:00Z", "2024-07-31T09:00:00Z", "2024-08-30T09:00:00Z",
                  "2024-10-31T09:00:00Z"}},
        // 2024-03-31 and 2024-06-30 are Sundays, 2024-08-31 a Saturday.
        NextCase{"LastWeekday",
                 "cron(0 9 LW * ? *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-31T09:00:00Z", "2024-02-29T09:00:00Z", "2024-03-29T09:00:00Z",
                  "2024-04-30T09:00:00Z", "2024-05-31T09:00:00Z", "2024-06-28T09:00:00Z",
                  "2024-07-31T09:00:00Z", "2024-08-30T09:00:00Z"}}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    NthWeekday, CalendarTest,
    testing::Values(
        NextCase{"ThirdFriday",
                 "cron(0 18 ? * 6#3 *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-19T18:00:00Z", "2024-02-16T18:00:00Z", "2024-03-15T18:00:00Z"}},
        NextCase{"ThirdFridayByName",
                 "cron(0 18 ? * FRI#3 *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-19T18:00:00Z", "2024-02-16T18:00:00Z"}},
        NextCase{"FirstSunday",
                 "cron(0 0 ? * 1#1 *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-07T00:00:00Z", "2024-02-04T00:00:00Z", "2024-03-03T00:00:00Z"}},
        // Months without a fifth Monday are skipped, not moved.
        NextCase{"FifthMonday",
                 "cron(0 10 ? * 2#5 *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2024-01-29T10:00:00Z", "2024-04-29T10:00:00Z", "2024-07-29T10:00:00Z",
                  "2024-09-30T10:00:00Z", "2024-12-30T10:00:00Z"}},
        // A fifth Monday in February needs a leap year starting on a Monday.
        NextCase{"FifthMondayOfFebruary",
                 "cron(0 10 ? 2 2#5 *)",
                 "UTC",
                 kCalendarNewYear,
                 {"2044-02-29T10:00:00Z", "2072-02-29T10:00:00Z"}}),
    caseName);

// The search skips whole years, months and days: a rare or impossible cron costs milliseconds.
// The bound is generous so a loaded machine does not fail it; it catches a minute-by-minute scan.
TEST(CalendarCost, RareAndImpossibleCronsAreFound) {
  const Schedule leap = mustParse("cron(0 0 29 2 ? *)", "Europe/Berlin");
  const Schedule never = mustParse("cron(0 0 30 2 ? *)", "Europe/Berlin");
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(iso(leap.nextAfter(at("2024-03-01T00:00:00Z")).value()), "2028-02-28T23:00:00Z");
  EXPECT_FALSE(never.nextAfter(at("1970-01-01T00:00:00Z")).has_value());
  const auto spent = std::chrono::steady_clock::now() - begin;
  EXPECT_LT(spent, std::chrono::milliseconds(250))
      << std::chrono::duration_cast<std::chrono::microseconds>(spent).count() << " us";
}

}  // namespace
}  // namespace rawfeed::schedule::test
