#include "pipeline/incremental_fetch.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace rawfeed::pipeline {
namespace {

using std::chrono::seconds;

core::SystemTime utc(std::int64_t unix_seconds) {
  return core::SystemTime{seconds(unix_seconds)};
}

std::int64_t day(const char* text) {
  return *core::parseDate(text);
}

// 2024-03-15 is a Friday; New York is on EDT (UTC-4) then, the close 16:00 is 20:00 UTC.
constexpr std::int64_t kFri2024_03_15_0000Utc = 1710460800;

tracker::SymbolWatermark newYork(std::string symbol = "AAPL") {
  tracker::SymbolWatermark watermark;
  watermark.symbol = std::move(symbol);
  watermark.time_zone = "America/New_York";
  watermark.session_close_minute = 16 * 60;
  return watermark;
}

TEST(IncrementalFetch, ASessionCountsAsClosedHalfAnHourAfterItsClose) {
  const auto watermark = newYork();
  const std::int64_t close = kFri2024_03_15_0000Utc + 20 * 3600;
  EXPECT_EQ(latestClosedSession(watermark, utc(close - 60)), day("2024-03-14"));
  EXPECT_EQ(latestClosedSession(watermark, utc(close + 29 * 60)), day("2024-03-14"));
  EXPECT_EQ(latestClosedSession(watermark, utc(close + 30 * 60)), day("2024-03-15"));
  // Before midnight UTC but already the next local day elsewhere does not matter here: still
  // Friday evening in New York.
  EXPECT_EQ(latestClosedSession(watermark, utc(close + 3 * 3600)), day("2024-03-15"));
}

TEST(IncrementalFetch, WeekendsAreNoSessionsUnlessTheSymbolTradesOnThem) {
  auto watermark = newYork();
  const std::int64_t saturday_noon = kFri2024_03_15_0000Utc + 86400 + 16 * 3600;
  const std::int64_t monday_morning = kFri2024_03_15_0000Utc + 3 * 86400 + 14 * 3600;
  EXPECT_EQ(latestClosedSession(watermark, utc(saturday_noon)), day("2024-03-15"));
  EXPECT_EQ(latestClosedSession(watermark, utc(monday_morning)), day("2024-03-15"));
  watermark.weekends = true;
  EXPECT_EQ(latestClosedSession(watermark, utc(monday_morning)), day("2024-03-17"));
}

TEST(IncrementalFetch, WithoutAKnownCloseADayClosesAtMidnight) {
  tracker::SymbolWatermark watermark;
  watermark.symbol = "X";
  EXPECT_EQ(latestClosedSession(watermark, utc(kFri2024_03_15_0000Utc + 23 * 3600)),
            day("2024-03-14"));
  // An unknown zone reads as UTC rather than failing.
  watermark.time_zone = "Not/AZone";
  EXPECT_EQ(latestClosedSession(watermark, utc(kFri2024_03_15_0000Utc + 23 * 3600)),
            day("2024-03-14"));
}

TEST(IncrementalFetch, UpToDateUntilTheNextSessionCloses) {
  auto watermark = newYork();
  watermark.last_day = "2024-03-15";
  watermark.checked_at = kFri2024_03_15_0000Utc + 21 * 3600;  // Friday 17:00 New York
  EXPECT_TRUE(isUpToDate(watermark, utc(watermark.checked_at + 3600)));
  EXPECT_TRUE(isUpToDate(watermark, utc(kFri2024_03_15_0000Utc + 3 * 86400 + 14 * 3600)));
  EXPECT_FALSE(isUpToDate(watermark, utc(kFri2024_03_15_0000Utc + 3 * 86400 + 21 * 3600)));
  watermark.checked_at = 0;  // never checked up to the present: always asked
  EXPECT_FALSE(isUpToDate(watermark, utc(kFri2024_03_15_0000Utc + 21 * 3600 + 60)));
}

TEST(IncrementalFetch, PlanAsksForTheDaysAfterTheWatermarkInTheExchangesZone) {
  auto behind = newYork("AAPL");
  behind.last_day = "2024-03-12";
  behind.checked_at = kFri2024_03_15_0000Utc - 2 * 86400;
  auto current = newYork("MSFT");
  current.last_day = "2024-03-15";
  current.checked_at = kFri2024_03_15_0000Utc + 21 * 3600;
  tracker::SymbolWatermark never_bars;  // answered empty so far: no day to start after
  never_bars.symbol = "EMPTY";
  never_bars.checked_at = kFri2024_03_15_0000Utc - 86400;
  const auto now = utc(kFri2024_03_15_0000Utc + 22 * 3600);
  const auto plan =
      planIncremental({"AAPL", "MSFT", "NEW", "EMPTY", "AAPL"}, {current, behind, never_bars}, now);
  ASSERT_EQ(plan.windows.size(), 3u);
  EXPECT_EQ(plan.windows[0],
            (SymbolWindow{"AAPL", "2024-03-13", "2024-03-15", "America/New_York"}));
  EXPECT_EQ(plan.windows[1], (SymbolWindow{"NEW", "", "", ""}));
  EXPECT_EQ(plan.windows[2], (SymbolWindow{"EMPTY", "", "", ""}));
  EXPECT_EQ(plan.up_to_date, std::vector<std::string>{"MSFT"});
  EXPECT_EQ(plan.from_watermark, 1);
  EXPECT_EQ(plan.from_period, 2);
}

TEST(IncrementalFetch, ZonedDaysStartAtLocalMidnight) {
  // 2024-03-13 00:00 in New York (EDT) is 04:00 UTC; 2024-03-16 00:00 likewise.
  const auto window = zonedDays(day("2024-03-13"), day("2024-03-15"), "America/New_York");
  EXPECT_EQ(window.start, 1710302400);
  ASSERT_TRUE(window.end);
  EXPECT_EQ(*window.end, 1710561600);
  // Tokyo (UTC+9): the day starts at 15:00 UTC the day before.
  const auto tokyo = zonedDays(day("2024-03-13"), day("2024-03-13"), "Asia/Tokyo");
  EXPECT_EQ(tokyo.start, 1710255600);
  // No zone: UTC days, as before.
  const auto plain = zonedDays(day("2024-03-13"), day("2024-03-13"), "");
  EXPECT_EQ(plain.start, 1710288000);
  EXPECT_EQ(*plain.end, 1710288000 + 86400);
}

TEST(IncrementalFetch, WatermarkOfAnAnswerReachingThePresent) {
  sources::FetchRequest period;
  period.symbol = "AAPL";
  sources::FetchResult result;
  result.symbol = "AAPL";
  result.exchange_timezone = "America/New_York";
  result.session_close_minute = 960;
  result.days.push_back({"2024-03-14", {}});
  result.days.push_back({"2024-03-15", {}});
  const auto now = utc(kFri2024_03_15_0000Utc + 22 * 3600);
  const auto watermark = watermarkOf(period, result, now);
  EXPECT_EQ(watermark.last_day, "2024-03-15");
  EXPECT_EQ(watermark.checked_at, kFri2024_03_15_0000Utc + 22 * 3600);
  EXPECT_EQ(watermark.time_zone, "America/New_York");
  EXPECT_EQ(watermark.session_close_minute, 960);
  EXPECT_FALSE(watermark.weekends);

  // A backfill of the past says nothing about today.
  sources::FetchRequest past = period;
  past.window = sources::TimeWindow::ofDays(day("2020-01-01"), day("2020-01-31"));
  EXPECT_EQ(watermarkOf(past, result, now).checked_at, 0);
  // Bars on a weekend day mark a symbol that trades then.
  result.days.push_back({"2024-03-16", {}});
  EXPECT_TRUE(watermarkOf(period, result, now).weekends);
}

TEST(IncrementalFetch, AWatermarkFromTheFutureIsNotTrusted) {
  const auto now = utc(kFri2024_03_15_0000Utc + 22 * 3600);
  auto future_check = newYork("AAPL");
  future_check.last_day = "2024-03-14";
  future_check.checked_at = kFri2024_03_15_0000Utc + 30 * 86400;
  EXPECT_FALSE(isUpToDate(future_check, now));
  auto future_day = newYork("MSFT");
  future_day.last_day = "2031-01-01";
  future_day.checked_at = kFri2024_03_15_0000Utc - 86400;
  const auto plan = planIncremental({"AAPL", "MSFT"}, {future_check, future_day}, now);
  ASSERT_EQ(plan.windows.size(), 2u);
  EXPECT_EQ(plan.windows[0].start, "2024-03-15");
  EXPECT_EQ(plan.windows[1], (SymbolWindow{"MSFT", "", "", ""}));  // the period
  EXPECT_TRUE(plan.up_to_date.empty());
}

}  // namespace
}  // namespace rawfeed::pipeline
