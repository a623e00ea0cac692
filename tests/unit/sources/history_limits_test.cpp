#include "sources/yahoo/history_limits.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace rawfeed::sources::yahoo {
namespace {

// 2026-11-26T12:00:00Z
const core::SystemTime kNow{std::chrono::seconds(*core::parseDate("2026-11-26") * 86400 + 43200)};

TEST(HistoryLimitsTest, OneMinuteBarsComeInSevenDayWindowsWithinThirtyDays) {
  auto windows = splitBackfill("1m", "2026-11-01", "2026-11-20", kNow);
  ASSERT_TRUE(windows.ok()) << windows.error().message;
  ASSERT_EQ(windows->size(), 3u);
  EXPECT_EQ((*windows)[0].start, "2026-11-01");
  EXPECT_EQ((*windows)[0].end, "2026-11-07");
  EXPECT_EQ((*windows)[2].start, "2026-11-15");
  EXPECT_EQ((*windows)[2].end, "2026-11-20");
  auto old = splitBackfill("1m", "2026-10-20", "2026-11-01", kNow);
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.error().message.find("reaches back only 30 days"), std::string::npos);
}

TEST(HistoryLimitsTest, IntradayLimitsPerInterval) {
  EXPECT_TRUE(splitBackfill("5m", "2026-10-01", "2026-11-25", kNow).ok());
  EXPECT_FALSE(splitBackfill("5m", "2026-09-01", "2026-11-25", kNow).ok());
  EXPECT_FALSE(splitBackfill("90m", "2026-09-01", "2026-11-25", kNow).ok());
  EXPECT_TRUE(splitBackfill("1h", "2025-01-01", "2026-11-25", kNow).ok());
  auto old_hourly = splitBackfill("60m", "2024-01-01", "2026-11-25", kNow);
  ASSERT_FALSE(old_hourly.ok());
  EXPECT_NE(old_hourly.error().message.find("730 days"), std::string::npos);
}

TEST(HistoryLimitsTest, DailyIsOneWindowUnlessLongerThanACentury) {
  auto daily = splitBackfill("1d", "1962-01-02", "2026-11-20", kNow);
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->size(), 1u);
  auto long_range = splitBackfill("1wk", "1900-01-01", "2026-11-20", kNow);
  ASSERT_TRUE(long_range.ok());
  EXPECT_EQ(long_range->size(), 2u);
}

TEST(HistoryLimitsTest, BadRangesAreNamed) {
  EXPECT_NE(
      splitBackfill("1d", "2026-02-30", "2026-03-01", kNow).error().message.find("2026-02-30"),
      std::string::npos);
  EXPECT_NE(splitBackfill("1d", "2026-03-02", "2026-03-01", kNow).error().message.find("before"),
            std::string::npos);
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
