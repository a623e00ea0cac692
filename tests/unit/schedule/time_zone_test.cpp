// Cron read on a zone's wall clock: a skipped wall time (spring forward) does not fire that day;
// a repeated one (fall back) fires once, at its first occurrence. Expected instants in UTC.
// New York 2024: 02:00 EST -> 03:00 EDT on 03-10; 02:00 EDT -> 01:00 EST on 11-03.
// Berlin 2024: 02:00 CET -> 03:00 CEST on 03-31; 03:00 CEST -> 02:00 CET on 10-27.
#include "schedule_test_support.h"

namespace rawfeed::schedule::test {
namespace {

class TimeZoneTest : public testing::TestWithParam<NextCase> {};

TEST_P(TimeZoneTest, NextFires) {
  expectNextFires(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    NewYork, TimeZoneTest,
    testing::Values(
        // 03-09 02:30 EST, 03-10 02:30 does not exist, 03-11 02:30 EDT.
        NextCase{"GapSkipsTheDay",
                 "cron(30 2 * * ? *)",
                 "America/New_York",
                 "2024-03-09T00:00:00Z",
                 {"2024-03-09T07:30:00Z", "2024-03-11T06:30:00Z", "2024-03-12T06:30:00Z"}},
        NextCase{"GapInAnEveryHalfHourCron",
                 "cron(0/30 * * * ? *)",
                 "America/New_York",
                 "2024-03-10T06:15:00Z",
                 {"2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z"}},
        // 11-03 01:30 EDT (05:30Z) fires; 01:30 EST (06:30Z) does not; 11-04 01:30 EST.
        NextCase{"OverlapFiresOnce",
                 "cron(30 1 * * ? *)",
                 "America/New_York",
                 "2024-11-02T12:00:00Z",
                 {"2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"}},
        NextCase{"OverlapFromTheFirstFire",
                 "cron(30 1 * * ? *)",
                 "America/New_York",
                 "2024-11-03T05:30:00Z",
                 {"2024-11-04T06:30:00Z"}},
        NextCase{"OverlapFromInsideTheRepeatedHour",
                 "cron(30 1 * * ? *)",
                 "America/New_York",
                 "2024-11-03T06:10:00Z",
                 {"2024-11-04T06:30:00Z"}},
        // 01:00 and 01:30 EDT fire; the repeated 01:00 and 01:30 EST do not; then 02:00 EST.
        NextCase{"OverlapInAnEveryHalfHourCron",
                 "cron(0/30 * * * ? *)",
                 "America/New_York",
                 "2024-11-03T04:45:00Z",
                 {"2024-11-03T05:00:00Z", "2024-11-03T05:30:00Z", "2024-11-03T07:00:00Z"}},
        NextCase{"UnixLineInAZone",
                 "30 2 * * *",
                 "America/New_York",
                 "2024-03-09T12:00:00Z",
                 {"2024-03-11T06:30:00Z"}}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Berlin, TimeZoneTest,
    testing::Values(
        // 03-30 02:30 CET, 03-31 02:30 does not exist, 04-01 02:30 CEST.
        NextCase{"GapSkipsTheDay",
                 "cron(30 2 * * ? *)",
                 "Europe/Berlin",
                 "2024-03-30T00:00:00Z",
                 {"2024-03-30T01:30:00Z", "2024-04-01T00:30:00Z"}},
        // 10-27 02:30 CEST (00:30Z) fires, 02:30 CET (01:30Z) does not, 10-28 02:30 CET.
        NextCase{"OverlapFiresOnce",
                 "cron(30 2 * * ? *)",
                 "Europe/Berlin",
                 "2024-10-26T12:00:00Z",
                 {"2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"}},
        NextCase{"OverlapFromTheFirstFire",
                 "cron(30 2 * * ? *)",
                 "Europe/Berlin",
                 "2024-10-27T00:30:00Z",
                 {"2024-10-28T01:30:00Z"}},
        // Midnight stays midnight across the change: 23:00Z in winter, 22:00Z in summer.
        NextCase{"MidnightAcrossTheChange",
                 "cron(0 0 * * ? *)",
                 "Europe/Berlin",
                 "2024-03-29T12:00:00Z",
                 {"2024-03-29T23:00:00Z", "2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z"}}),
    caseName);

// The design's schedule: 22:00 KST (UTC+9, no DST) on weekdays. 2024-03-08 is a Friday.
INSTANTIATE_TEST_SUITE_P(Seoul, TimeZoneTest,
                         testing::Values(NextCase{"DesignSchedule",
                                                  "cron(0 22 ? * MON-FRI *)",
                                                  "Asia/Seoul",
                                                  "2024-03-08T00:00:00Z",
                                                  {"2024-03-08T13:00:00Z", "2024-03-11T13:00:00Z",
                                                   "2024-03-12T13:00:00Z", "2024-03-13T13:00:00Z",
                                                   "2024-03-14T13:00:00Z", "2024-03-15T13:00:00Z",
                                                   "2024-03-18T13:00:00Z"}}),
                         caseName);

TEST(TimeZoneStrictlyAfter, AFireIsNotItsOwnNext) {
  const Schedule schedule = mustParse("cron(0 22 ? * MON-FRI *)", "Asia/Seoul");
  EXPECT_EQ(iso(schedule.nextAfter(at("2024-03-11T13:00:00Z")).value()), "2024-03-12T13:00:00Z");
  EXPECT_EQ(iso(schedule.nextAfter(at("2024-03-11T12:59:59Z")).value()), "2024-03-11T13:00:00Z");
  // Sub-second: half a second after the fire is after it.
  EXPECT_EQ(
      iso(schedule.nextAfter(at("2024-03-11T13:00:00Z") + std::chrono::milliseconds(500)).value()),
      "2024-03-12T13:00:00Z");
}

}  // namespace
}  // namespace rawfeed::schedule::test
