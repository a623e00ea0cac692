// Every recorded Yahoo response, decoded. Expected values were cross-checked against an
// independent Python (zoneinfo) implementation of the same rules.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "sources/yahoo/yahoo_decoder.h"
#include "support/yahoo_fixtures.h"
#include "unit/sources/yahoo_test_helpers.h"

namespace rawfeed::sources::yahoo {
namespace {

using test::kLongAfter;
using test::requestFromUrl;

struct Expected {
  const char* file;
  int interaction;
  FetchOutcome outcome;
  int kept;
  int days;
  const char* first_day;
  const char* last_day;
  int dropped_null;
  int dropped_open;
  int after_period2;
  const char* timezone;
  const char* reason;  // exact, for non-ok outcomes
};

constexpr FetchOutcome kOk = FetchOutcome::kOk;
constexpr FetchOutcome kEmpty = FetchOutcome::kEmpty;
constexpr const char* kNy = "America/New_York";

const Expected kTable[] = {
    {"0P000071W8.TO_MUTUALFUND_1d_2020-01-01.json", 0, kOk, 1, 1, "2020-01-02", "2020-01-02", 0, 0,
     0, "America/Toronto", ""},
    {"0P0000XTS7_MUTUALFUND_1d_2024-09_nulls.json", 0, kOk, 1, 1, "2024-09-12", "2024-09-12", 1, 0,
     0, kNy, ""},
    {"1301.T_1d_1mo_2024-11.json", 0, kOk, 23, 23, "2024-11-06", "2024-12-06", 0, 0, 0,
     "Asia/Tokyo", ""},
    {"6309.T_1d_1mo_2025-05_split3for1_div.json", 0, kOk, 17, 17, "2025-04-21", "2025-05-16", 0, 1,
     0, "Asia/Tokyo", ""},
    {"AAPL_1d_2020-08-31_2020-11-07_div_split.json", 0, kOk, 49, 49, "2020-08-31", "2020-11-06", 0,
     0, 0, kNy, ""},
    {"AAPL_1d_2020_full_year_div_split_4for1.json", 0, kOk, 253, 253, "2020-01-02", "2020-12-31", 0,
     0, 0, kNy, ""},
    {"AAPL_1d_6mo_2025_div.json", 0, kOk, 126, 126, "2025-04-30", "2025-10-28", 0, 1, 0, kNy, ""},
    {"AAPL_1m_2024-10-02_nulls.json", 0, kOk, 389, 1, "2024-10-02", "2024-10-02", 1, 0, 1, kNy, ""},
    {"AAPL_1m_2025-02-01_weekend_no_timestamps.json", 0, kEmpty, 0, 0, "", "", 0, 0, 0, kNy, ""},
    {"AAPL_1mo_5y_events_div.json", 0, kOk, 59, 59, "2019-11-01", "2024-09-01", 0, 2, 0, kNy, ""},
    {"AAPL_1mo_5y_events_split.json", 0, kOk, 59, 59, "2019-11-01", "2024-09-01", 0, 2, 0, kNy, ""},
    {"AAPL_1wk_range1mo_2024-09.json", 0, kOk, 4, 4, "2024-08-19", "2024-09-09", 0, 2, 0, kNy, ""},
    {"APS.AX_1d_2020_no_timestamps_null_firstTradeDate.json", 0, kEmpty, 0, 0, "", "", 0, 0, 0,
     "Australia/Sydney", ""},
    {"BEKE_ERROR_400_data_doesnt_exist_before_listing.json", 0, FetchOutcome::kBadRequest, 0, 0, "",
     "", 0, 0, 0, "",
     "400 Bad Request: Data doesn't exist for startDate = 1577836800, endDate = 1578009600"},
    {"BTC-USD_1d_2020_full_year_nulls.json", 0, kOk, 365, 365, "2020-01-01", "2021-01-03", 4, 0, 1,
     "UTC", ""},
    {"CAPIO.ST_1d_no_data_empty_quote_object.json", 0, kEmpty, 0, 0, "", "", 0, 0, 0, kNy, ""},
    {"ERROR_400_invalid_interval_1s_newer_list_with_4h.json", 0, FetchOutcome::kBadRequest, 0, 0,
     "", "", 0, 0, 0, "",
     "400 Bad Request: Invalid input - interval=1s is not supported. Valid intervals: [1m, 2m, 5m, "
     "15m, 30m, 60m, 90m, 1h, 4h, 1d, 5d, 1wk, 1mo, 3mo]"},
    {"ERROR_400_invalid_interval_5h.json", 0, FetchOutcome::kBadRequest, 0, 0, "", "", 0, 0, 0, "",
     "400 Bad Request: Invalid input - interval=5h is not supported. Valid intervals: [1m, 2m, 5m, "
     "15m, 30m, 60m, 90m, 1h, 1d, 5d, 1wk, 1mo, 3mo]"},
    {"ERROR_422_1h_older_than_730_days_GC=F.json", 0, FetchOutcome::kBadRequest, 0, 0, "", "", 0, 0,
     0, "",
     "422 Unprocessable Entity: 1h data not available for startTime=1664582400 and "
     "endTime=1705276800. The requested range must be within the last 730 days."},
    {"ERROR_422_5m_older_than_60_days.json", 0, FetchOutcome::kBadRequest, 0, 0, "", "", 0, 0, 0,
     "",
     "422 Unprocessable Entity: 5m data not available for startTime=1770111238 and "
     "endTime=1770975238. The requested range must be within the last 60 days."},
    {"EURUSD=X_1d_2020-01-01_2020-01-03.json", 0, kOk, 2, 2, "2020-01-01", "2020-01-02", 0, 0, 1,
     "Europe/London", ""},
    {"FBIIX_MUTUALFUND_1d_trailing_all_null_row.json", 0, kOk, 3, 3, "2022-02-23", "2022-02-25", 1,
     0, 0, kNy, ""},
    {"GC=F_1d_2020-01-01_2020-01-03.json", 0, kOk, 1, 1, "2020-01-02", "2020-01-02", 0, 0, 0, kNy,
     ""},
    {"IBM_1d_1962-2021_TRIMMED_div_split_negative_ts.json", 0, kOk, 10, 10, "1962-01-02",
     "2021-01-08", 0, 0, 0, kNy, ""},
    {"INR=X_1d_2017-07_nulls.json", 0, kOk, 3, 3, "2017-07-10", "2017-07-13", 1, 0, 0,
     "Europe/London", ""},
    {"MDLY_ERROR_404_delisted_includeAdjustedClose.json", 0, FetchOutcome::kNotFound, 0, 0, "", "",
     0, 0, 0, "", "404 Not Found: No data found, symbol may be delisted"},
    {"MSFT_1d_2021-02_2022-01_events_div.json", 0, kOk, 252, 252, "2021-02-01", "2022-01-28", 0, 0,
     0, kNy, ""},
    {"NVDA_1d_2021-02_2022-01_events_split.json", 0, kOk, 252, 252, "2021-02-01", "2022-01-28", 0,
     0, 0, kNy, ""},
    {"NVDA_1h_range1d_2024-05-03.json", 0, kOk, 7, 1, "2024-05-03", "2024-05-03", 0, 1, 0, kNy, ""},
    {"O=F_FUTURE_1m_2018_heavy_nulls_finance-mock.json", 0, kOk, 151, 1, "2018-05-29", "2018-05-29",
     1155, 0, 0, kNy, ""},
    {"ORSTED.CO_1d_2020_full_year_div.json", 0, kOk, 250, 250, "2020-01-02", "2020-12-30", 0, 0, 0,
     "Europe/Copenhagen", ""},
    {"OTHER_ERROR_404_finance_envelope_nonExistingURL.json", 0, FetchOutcome::kNotFound, 0, 0, "",
     "", 0, 0, 0, "", "404 Not Found: I'm made up (Yahoo code \"Made Up Error\")"},
    {"QQQ_ETF_1d_2020-01-01_2020-01-03.json", 0, kOk, 1, 1, "2020-01-02", "2020-01-02", 0, 0, 0,
     kNy, ""},
    {"RATE_LIMIT_429_edge_body.txt", 0, FetchOutcome::kThrottled, 0, 0, "", "", 0, 0, 0, "",
     "429 Too Many Requests: Yahoo is rate limiting; body \"Edge: Too Many Requests\""},
    {"RATE_LIMIT_429_too_many_requests_crlf_body.txt", 0, FetchOutcome::kThrottled, 0, 0, "", "", 0,
     0, 0, "", "429 Too Many Requests: Yahoo is rate limiting; body \"Too Many Requests\\r\\n\""},
    {"SI_ERROR_404_not_found_delisted.json", 0, FetchOutcome::kNotFound, 0, 0, "", "", 0, 0, 0, "",
     "404 Not Found: No data found, symbol may be delisted"},
    {"TSCO.L_1d_5d.json", 0, kOk, 4, 4, "2026-06-04", "2026-06-09", 0, 1, 0, "Europe/London", ""},
    {"TSLA_1h_period1_eq_period2_empty.json", 0, kEmpty, 0, 0, "", "", 0, 0, 0, kNy, ""},
    {"TSLA_30m_2021-11-22.json", 0, kOk, 30, 1, "2021-11-22", "2021-11-22", 0, 0, 0, kNy, ""},
    {"USDGBP=X_1m_2018-05-29_finance-mock.json", 0, kOk, 138, 1, "2018-05-30", "2018-05-30", 61, 0,
     0, "Europe/London", ""},
    {"VFINX_MUTUALFUND_3mo_max_div_capitalGains.json", 0, kOk, 163, 163, "1985-01-01", "2025-07-01",
     0, 1, 0, kNy, ""},
    {"WSKT.JK_1d_2020-01-01_2020-01-03.json", 0, kOk, 1, 1, "2020-01-02", "2020-01-02", 0, 0, 0,
     "Asia/Jakarta", ""},
    {"WSU.DE_1d_2023-08-04_2023-08-09_nulls.json", 0, kOk, 2, 2, "2023-08-04", "2023-08-08", 1, 0,
     0, "Europe/Berlin", ""},
    {"^GSPC_INDEX_1d_2023-01-03_2024-02-29_gunzipped_from_cassette.json", 0, kOk, 290, 290,
     "2023-01-03", "2024-02-28", 0, 1, 0, kNy, ""},
    {"^GSPC_INDEX_1d_openbb_vcr_cassette_range1d_and_period_gzip.yaml", 0, kOk, 0, 0, "", "", 0, 1,
     0, kNy, ""},
    {"^GSPC_INDEX_1d_openbb_vcr_cassette_range1d_and_period_gzip.yaml", 1, kOk, 290, 290,
     "2023-01-03", "2024-02-28", 0, 1, 0, kNy, ""},
    {"^GSPC_INDEX_1m_2018-05-29_finance-mock.json", 0, kOk, 390, 1, "2018-05-29", "2018-05-29", 0,
     0, 0, kNy, ""},
    {"^TNX_INDEX_5m_1d.json", 0, kOk, 14, 1, "2026-02-02", "2026-02-02", 0, 1, 0, "America/Chicago",
     ""},
    {"^VXAPL_INDEX_1d_2020_no_timestamps.json", 0, kEmpty, 0, 0, "", "", 0, 0, 0, kNy, ""},
};

int keptRecords(const FetchResult& result) {
  int n = 0;
  for (const auto& day : result.days) {
    n += static_cast<int>(day.records.size());
  }
  return n;
}

class YahooDecoderFixturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "Yahoo fixtures missing at " << testing::yahooFixtureDir();
  }
};

TEST_F(YahooDecoderFixturesTest, EveryRecordedResponseDecodesAsTabled) {
  std::map<std::pair<std::string, int>, const Expected*> table;
  for (const auto& row : kTable) {
    table[{row.file, row.interaction}] = &row;
  }
  std::set<std::pair<std::string, int>> seen;
  const auto files = testing::listYahooFixtures();
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    const auto responses = testing::loadYahooFixture(file);
    for (int i = 0; i < static_cast<int>(responses.size()); ++i) {
      const auto& recorded = responses[static_cast<std::size_t>(i)];
      const auto key = std::make_pair(file.filename().string(), i);
      seen.insert(key);
      auto it = table.find(key);
      ASSERT_NE(it, table.end()) << "fixture not in the table: " << key.first << " #" << i;
      const Expected& want = *it->second;
      SCOPED_TRACE(key.first + " #" + std::to_string(i));

      const Decoded got =
          decode(recorded.status, recorded.body, test::requestFromUrl(recorded.url), kLongAfter);
      const FetchResult& r = got.result;
      EXPECT_EQ(fetchOutcomeName(r.outcome), std::string(fetchOutcomeName(want.outcome)));
      EXPECT_EQ(r.http_status, recorded.status);
      EXPECT_EQ(keptRecords(r), want.kept);
      EXPECT_EQ(static_cast<int>(r.days.size()), want.days);
      EXPECT_EQ(r.days.empty() ? "" : r.days.front().day, want.first_day);
      EXPECT_EQ(r.days.empty() ? "" : r.days.back().day, want.last_day);
      EXPECT_EQ(r.dropped_null_bars, want.dropped_null);
      EXPECT_EQ(r.dropped_open_bars, want.dropped_open);
      EXPECT_EQ(got.notes.dropped_after_period2, want.after_period2);
      EXPECT_TRUE(got.result.invalid_bars.empty());
      EXPECT_EQ(got.notes.duplicate_timestamps, 0);
      EXPECT_EQ(got.notes.timezone_fallback, "");
      EXPECT_EQ(r.exchange_timezone, want.timezone);
      EXPECT_EQ(r.reason, want.reason);
      for (std::size_t d = 1; d < r.days.size(); ++d) {
        EXPECT_LT(r.days[d - 1].day, r.days[d].day) << "days ascending";
      }
    }
  }
  EXPECT_EQ(seen.size(), std::size(kTable)) << "a tabled fixture is missing from the folder";
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
