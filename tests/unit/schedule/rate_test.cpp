// rate() fires on whole multiples of its period since 1970-01-01T00:00:00Z, whatever the zone
// and whenever the process started: that is what keeps restarts from drifting.
#include "schedule_test_support.h"

namespace rawfeed::schedule::test {
namespace {

class RateTest : public testing::TestWithParam<NextCase> {};

TEST_P(RateTest, NextFires) {
  expectNextFires(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Aligned, RateTest,
    testing::Values(NextCase{"OneMinute",
                             "rate(1 minute)",
                             "UTC",
                             "2024-01-01T00:00:30Z",
                             {"2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z"}},
                    NextCase{"FiveMinutes",
                             "rate(5 minutes)",
                             "UTC",
                             "2024-01-01T00:02:30Z",
                             {"2024-01-01T00:05:00Z", "2024-01-01T00:10:00Z"}},
                    NextCase{"StrictlyAfterAFire",
                             "rate(5 minutes)",
                             "UTC",
                             "2024-01-01T00:05:00Z",
                             {"2024-01-01T00:10:00Z"}},
                    // 1704067200 s is 4057302.86 periods of 420 s: the next multiple is 00:01Z.
                    NextCase{"SevenMinutesFromTheEpoch",
                             "rate(7 minutes)",
                             "UTC",
                             "2024-01-01T00:00:00Z",
                             {"2024-01-01T00:01:00Z", "2024-01-01T00:08:00Z"}},
                    NextCase{"OneHour",
                             "rate(1 hour)",
                             "UTC",
                             "2024-01-01T10:59:59Z",
                             {"2024-01-01T11:00:00Z", "2024-01-01T12:00:00Z"}},
                    NextCase{"TwoDays",
                             "rate(2 days)",
                             "UTC",
                             "2024-01-01T00:00:00Z",
                             {"2024-01-02T00:00:00Z", "2024-01-04T00:00:00Z"}},
                    // The zone does not move a rate: one day is 00:00Z, 09:00 in Seoul.
                    NextCase{"DayIgnoresTheZone",
                             "rate(1 day)",
                             "Asia/Seoul",
                             "2024-01-01T05:00:00Z",
                             {"2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"}},
                    // Absolute time: a DST change neither skips nor repeats an hourly rate.
                    NextCase{
                        "HourAcrossFallBack",
                        "rate(1 hour)",
                        "America/New_York",
                        "2024-11-03T04:30:00Z",
                        {"2024-11-03T05:00:00Z", "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z"}},
                    NextCase{"StopsAfter2199",
                             "rate(1 day)",
                             "UTC",
                             "2199-12-30T12:00:00Z",
                             {"2199-12-31T00:00:00Z", "none"}}),
    caseName);

// Found by fuzz/targets/schedule.cpp: a period of more than 106751 days (the parser takes up to
// a million) overflowed its conversion to the clock's nanoseconds. Such rates fire at most once
// before 2200, or never.
INSTANTIATE_TEST_SUITE_P(LongPeriods, RateTest,
                         testing::Values(NextCase{"FiftyThousandDaysFiresOnce",
                                                  "rate(50000 days)",
                                                  "UTC",
                                                  "2024-01-01T00:00:00Z",
                                                  {"2106-11-24T00:00:00Z", "none"}},
                                         NextCase{"BeyondTheClocksNanoseconds",
                                                  "rate(106752 days)",
                                                  "UTC",
                                                  "2024-01-01T00:00:00Z",
                                                  {"none"}},
                                         NextCase{"AMillionDays",
                                                  "rate(1000000 days)",
                                                  "Asia/Seoul",
                                                  "1969-12-31T23:59:59Z",
                                                  {"1970-01-01T00:00:00Z", "none"}}),
                         caseName);

TEST(RateRestart, TwoStartsAgreeOnTheInstants) {
  const Schedule schedule = mustParse("rate(15 minutes)", "UTC");
  EXPECT_EQ(schedule.nextAfter(at("2024-05-05T10:01:07Z")),
            schedule.nextAfter(at("2024-05-05T10:13:59Z")));
}

}  // namespace
}  // namespace rawfeed::schedule::test
