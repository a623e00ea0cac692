// The fire's wall-clock date is its batch_ds; the batch id names the fire exactly.
#include "schedule/logical_date.h"

#include "schedule/fire.h"
#include "schedule_test_support.h"

namespace rawfeed::schedule::test {
namespace {

struct DateCase {
  const char* fire;
  const char* zone;
  const char* date;
};

TEST(LogicalDate, IsTheFiresLocalDate) {
  const DateCase cases[] = {
      {"2024-03-11T13:00:00Z", "Asia/Seoul", "2024-03-11"},  // the design's 22:00 KST run
      {"2024-03-11T15:00:00Z", "Asia/Seoul", "2024-03-12"},  // 00:00 KST is the next day
      {"2024-03-11T14:59:59Z", "Asia/Seoul", "2024-03-11"},
      {"2024-03-11T13:00:00Z", "UTC", "2024-03-11"},
      {"2024-03-11T03:00:00Z", "America/New_York", "2024-03-10"},
      {"2024-10-26T22:30:00Z", "Europe/Berlin", "2024-10-27"},
  };
  for (const DateCase& c : cases) {
    auto date = logicalDate(at(c.fire), c.zone);
    ASSERT_TRUE(date.ok()) << c.fire << " " << c.zone;
    EXPECT_EQ(*date, c.date) << c.fire << " " << c.zone;
    EXPECT_EQ(mustParse("rate(1 day)", c.zone).logicalDate(at(c.fire)), c.date);
  }
}

TEST(LogicalDate, UnknownZoneIsAnError) {
  auto date = logicalDate(at("2024-03-11T13:00:00Z"), "Mars/Olympus");
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(date.error().message, "unknown time zone 'Mars/Olympus'");
}

TEST(FireBatchId, NamesTheJobAndTheScheduledMinuteInUtc) {
  EXPECT_EQ(fireBatchId("customer-data", at("2024-03-11T13:00:00Z")),
            "sched-customer-data-20240311T1300Z");
  EXPECT_EQ(fireBatchId("product-data", at("2024-12-31T23:59:00Z")),
            "sched-product-data-20241231T2359Z");
}

TEST(Describe, NamesTheExpressionAndTheZone) {
  EXPECT_EQ(mustParse(" cron(0 22 ? * MON-FRI *) ", "Asia/Seoul").describe(),
            "cron(0 22 ? * MON-FRI *) in Asia/Seoul");
  EXPECT_EQ(mustParse("rate(5 minutes)", "UTC").describe(),
            "rate(5 minutes) in UTC, every 300 s from 1970-01-01T00:00:00Z");
  const Schedule unix = mustParse("0 22 * * 1-5", "Asia/Seoul");
  EXPECT_EQ(unix.expression(), "0 22 * * 1-5");
  EXPECT_EQ(unix.timeZone(), "Asia/Seoul");
}

}  // namespace
}  // namespace rawfeed::schedule::test
