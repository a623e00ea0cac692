// Exact texts, trading dates across time zones and DST, and open sessions, on recorded bodies.
#include <gtest/gtest.h>

#include <string>

#include "sources/yahoo/yahoo_decoder.h"
#include "support/yahoo_fixtures.h"
#include "unit/sources/yahoo_test_helpers.h"

namespace rawfeed::sources::yahoo {
namespace {

using test::at;
using test::kLongAfter;

class YahooDecoderFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "Yahoo fixtures missing at " << testing::yahooFixtureDir();
  }

  static testing::RecordedResponse load(const std::string& name) {
    return testing::loadYahooFixture(testing::yahooFixtureDir() / name).at(0);
  }

  static Decoded decodeFixture(const std::string& name, core::SystemTime now,
                               const std::optional<FetchRequest>& request = std::nullopt) {
    const auto recorded = load(name);
    return decode(recorded.status, recorded.body,
                  request.value_or(test::requestFromUrl(recorded.url)), now);
  }
};

struct FieldCase {
  const char* file;
  bool first;  // the first kept record, else the last
  const char* day;
  std::int64_t timestamp;
  const char* open;
  const char* close;
  const char* adjusted_close;  // "" for null
  const char* volume;
};

TEST_F(YahooDecoderFieldsTest, NumbersKeepTheSourceTextAndBarsLandOnTheExchangeDate) {
  const FieldCase cases[] = {
      // AAPL 2020: close split-adjusted, adjclose also dividend-adjusted.
      {"AAPL_1d_2020_full_year_div_split_4for1.json", true, "2020-01-02", 1577975400,
       "74.05999755859375", "75.0875015258789", "73.98847198486328", "135480400"},
      // Tokyo: 00:00 UTC is 09:00 JST; integers stay integers.
      {"1301.T_1d_1mo_2024-11.json", true, "2024-11-06", 1730851200, "4125", "4035", "4035",
       "100400"},
      // Pretty-printed source text kept as written.
      {"6309.T_1d_1mo_2025-05_split3for1_div.json", true, "2025-04-21", 1745193600, "1435",
       "1428.33337402344", "1354.03295898438", "149700"},
      // FX at 00:00 London in winter, volume 0.
      {"EURUSD=X_1d_2020-01-01_2020-01-03.json", true, "2020-01-01", 1577836800,
       "1.1220825910568237", "1.1220825910568237", "1.1220825910568237", "0"},
      // FX at 23:00 UTC in summer is the next London day.
      {"INR=X_1d_2017-07_nulls.json", true, "2017-07-10", 1499641200, "64.6155014038086",
       "64.61170196533203", "64.61170196533203", "0"},
      // Before 1970.
      {"IBM_1d_1962-2021_TRIMMED_div_split_negative_ts.json", true, "1962-01-02", -252322200,
       "7.374124050140381", "7.2912678718566895", "1.5133211612701416", "407940"},
      // Intraday: no adjclose.
      {"AAPL_1m_2024-10-02_nulls.json", true, "2024-10-02", 1727875800, "225.88999938964844",
       "225.6999969482422", "", "1205461"},
      // 1m FX at 23:00 UTC is already the next London day.
      {"USDGBP=X_1m_2018-05-29_finance-mock.json", true, "2018-05-30", 1527634800,
       "0.754360020160675", "0.754360020160675", "", "0"},
      // Crypto at 00:00 UTC; the last kept bar is before period2.
      {"BTC-USD_1d_2020_full_year_nulls.json", false, "2021-01-03", 1609632000, "32129.408203125",
       "32782.0234375", "32782.0234375", "78665235202"},
      // Quarterly bars at 00:00 New York; the quarter holding regularMarketTime is not written.
      {"VFINX_MUTUALFUND_3mo_max_div_capitalGains.json", false, "2025-07-01", 1751342400,
       "572.0599975585938", "617.3900146484375", "615.7952880859375", "0"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const FetchResult r = decodeFixture(c.file, kLongAfter).result;
    ASSERT_FALSE(r.days.empty());
    const auto& day = c.first ? r.days.front() : r.days.back();
    const auto& rec = c.first ? day.records.front() : day.records.back();
    EXPECT_EQ(day.day, c.day);
    EXPECT_EQ(rec.timestamp, c.timestamp);
    EXPECT_EQ(rec.open.value_or("null"), c.open);
    EXPECT_EQ(rec.close.value_or("null"), c.close);
    EXPECT_EQ(rec.adjusted_close.value_or(""), c.adjusted_close);
    EXPECT_EQ(rec.volume.value_or("null"), c.volume);
  }
}

TEST_F(YahooDecoderFieldsTest, PartlyNullMinuteBarsAreKeptWithNulls) {
  const FetchResult r =
      decodeFixture("O=F_FUTURE_1m_2018_heavy_nulls_finance-mock.json", kLongAfter).result;
  ASSERT_EQ(r.days.size(), 1u);
  EXPECT_EQ(r.dropped_null_bars, 1155);
  for (const auto& rec : r.days[0].records) {
    EXPECT_TRUE(rec.open || rec.high || rec.low || rec.close || rec.volume);
  }
}

TEST_F(YahooDecoderFieldsTest, StrayBarAfterPeriod2IsDroppedAndCountedAsOutsideTheWindow) {
  const std::string file = "AAPL_1m_2024-10-02_nulls.json";
  const Decoded with = decodeFixture(file, kLongAfter);
  EXPECT_EQ(with.notes.dropped_after_period2, 1);
  ASSERT_EQ(with.result.days.size(), 1u);
  EXPECT_EQ(with.result.days[0].records.back().timestamp, 1727899140);  // 15:59 New York

  FetchRequest no_window;
  no_window.symbol = "AAPL";
  no_window.interval = "1m";
  const Decoded without = decodeFixture(file, kLongAfter, no_window);
  EXPECT_EQ(without.notes.dropped_after_period2, 0);
  // Without a window the stray bar is still not written: it is stamped at the next close and
  // holds regularMarketTime, so it was still forming when Yahoo answered.
  EXPECT_EQ(without.result.dropped_open_bars, 1);
  ASSERT_EQ(without.result.days.size(), 1u);
  EXPECT_EQ(without.result.days[0].records.size(), 389u);
}

TEST_F(YahooDecoderFieldsTest, LiveBarsStampedAtRegularMarketTimeAreNotWritten) {
  struct Case {
    const char* file;
    std::int64_t live_stamp;
  };
  const Case cases[] = {
      {"AAPL_1d_6mo_2025_div.json", 1761768001},
      {"6309.T_1d_1mo_2025-05_split3for1_div.json", 1747636200},
      {"^GSPC_INDEX_1d_2023-01-03_2024-02-29_gunzipped_from_cassette.json", 1709232389},
      {"AAPL_1wk_range1mo_2024-09.json", 1726776001},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const FetchResult r = decodeFixture(c.file, kLongAfter).result;
    EXPECT_GE(r.dropped_open_bars, 1);
    for (const auto& day : r.days) {
      for (const auto& rec : day.records) {
        EXPECT_NE(rec.timestamp, c.live_stamp);
      }
    }
  }
}

TEST_F(YahooDecoderFieldsTest, TheWeekHoldingTheLiveBarIsStillOpen) {
  // Week of 2024-09-16 contains regularMarketTime (Thu 19th): not over when Yahoo answered.
  const FetchResult r = decodeFixture("AAPL_1wk_range1mo_2024-09.json", kLongAfter).result;
  EXPECT_EQ(r.days.back().day, "2024-09-09");
  EXPECT_EQ(r.dropped_open_bars, 2);
}

TEST_F(YahooDecoderFieldsTest, DailyBarOfTodayIsOpenUntilTheRegularSessionEnds) {
  // TSCO.L: the 2026-06-10 session runs 07:00-15:30 UTC (meta.currentTradingPeriod).
  const std::string file = "TSCO.L_1d_5d.json";
  const std::int64_t session_end = 1781105400;
  FetchRequest request;
  request.symbol = "TSCO.L";
  request.lookback = "5d";
  const FetchResult during = decodeFixture(file, at(session_end - 1), request).result;
  EXPECT_EQ(during.days.back().day, "2026-06-09");
  EXPECT_EQ(during.dropped_open_bars, 1);
  // Even after the session the bar stays out: Yahoo answered mid-session (regularMarketTime).
  const FetchResult after = decodeFixture(file, at(session_end), request).result;
  EXPECT_EQ(after.days.back().day, "2026-06-09");
}

TEST_F(YahooDecoderFieldsTest, DailyBarWithoutSessionInfoIsOpenUntilLocalMidnight) {
  // WSU.DE 2023-08-08 (Berlin, CEST): meta's session is another day, so the end is 00:00 local.
  const std::string file = "WSU.DE_1d_2023-08-04_2023-08-09_nulls.json";
  const std::int64_t berlin_midnight = 1691532000;  // 2023-08-09T00:00+02:00
  EXPECT_EQ(decodeFixture(file, at(berlin_midnight - 1)).result.days.back().day, "2023-08-04");
  EXPECT_EQ(decodeFixture(file, at(berlin_midnight)).result.days.back().day, "2023-08-08");
}

TEST_F(YahooDecoderFieldsTest, IntradayBarIsOpenUntilItsIntervalEnds) {
  // ^GSPC 1m 2018-05-29: last bar 19:59 UTC ends at 20:00.
  const std::string file = "^GSPC_INDEX_1m_2018-05-29_finance-mock.json";
  FetchRequest request;
  request.symbol = "^GSPC";
  request.interval = "1m";
  const FetchResult mid = decodeFixture(file, at(1527623940 + 30), request).result;
  EXPECT_EQ(mid.dropped_open_bars, 1);
  EXPECT_EQ(mid.days[0].records.size(), 389u);
  const FetchResult closed = decodeFixture(file, at(1527624000), request).result;
  EXPECT_EQ(closed.dropped_open_bars, 0);
  EXPECT_EQ(closed.days[0].records.size(), 390u);
}

TEST_F(YahooDecoderFieldsTest, LastHourlyBarEndsWithTheSession) {
  // NVDA 1h: the 15:30 bar ends at the 16:00 close, not 16:30; the 16:00 print holds
  // regularMarketTime (16:00:07) and is not written.
  const FetchResult r = decodeFixture("NVDA_1h_range1d_2024-05-03.json", kLongAfter).result;
  ASSERT_EQ(r.days.size(), 1u);
  EXPECT_EQ(r.days[0].records.back().timestamp, 1714764600);
  EXPECT_EQ(r.dropped_open_bars, 1);
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
