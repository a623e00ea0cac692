// Every recorded Yahoo response, decoded. Expected values were cross-checked against an
// independent Python (zoneinfo) implementation of the same rules.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

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

// Corporate actions of every recorded response that has events, computed independently with
// Python (json + zoneinfo) over the fixtures: the timestamp is `date` (else the key), the day its
// date in meta.exchangeTimezoneName, numbers as the body's text (a wrapper's bodyJson is re-dumped
// by the test support, which keeps integers and the shortest float text), sorted by (timestamp,
// kind). Small tables are listed whole; large ones by first/last rows, every split and every
// capital gain.
struct ActionRow {
  std::size_t index;
  const char* type;
  std::int64_t timestamp;
  const char* day;
  const char* amount;
  const char* currency;
  const char* numerator;
  const char* denominator;
  const char* ratio;
};

struct ExpectedActions {
  const char* file;
  std::size_t count;
  int dividends;
  int splits;
  int capital_gains;
  std::vector<ActionRow> rows;
};

const ExpectedActions kActionTable[] = {
    {"6309.T_1d_1mo_2025-05_split3for1_div.json",
     2,
     1,
     1,
     0,
     {{0, "dividend", 1745798400, "2025-04-28", "73", "JPY", "", "", ""},
      {1, "split", 1745798400, "2025-04-28", "", "", "3", "1", "3:1"}}},
    {"AAPL_1d_2020-08-31_2020-11-07_div_split.json",
     2,
     1,
     1,
     0,
     {{0, "split", 1598880600, "2020-08-31", "", "", "4", "1", "4:1"},
      {1, "dividend", 1604673000, "2020-11-06", "0.205", "USD", "", "", ""}}},
    {"AAPL_1d_2020_full_year_div_split_4for1.json",
     5,
     4,
     1,
     0,
     {{0, "dividend", 1581085800, "2020-02-07", "0.1925", "USD", "", "", ""},
      {1, "dividend", 1588944600, "2020-05-08", "0.205", "USD", "", "", ""},
      {2, "dividend", 1596807000, "2020-08-07", "0.205", "USD", "", "", ""},
      {3, "split", 1598880600, "2020-08-31", "", "", "4", "1", "4:1"},
      {4, "dividend", 1604673000, "2020-11-06", "0.205", "USD", "", "", ""}}},
    {"AAPL_1d_6mo_2025_div.json",
     2,
     2,
     0,
     0,
     {{0, "dividend", 1747056600, "2025-05-12", "0.26", "USD", "", "", ""},
      {1, "dividend", 1754919000, "2025-08-11", "0.26", "USD", "", "", ""}}},
    {"AAPL_1mo_5y_events_div.json",
     20,
     20,
     0,
     0,
     {{0, "dividend", 1573137000, "2019-11-07", "0.1925", "USD", "", "", ""},
      {1, "dividend", 1581085800, "2020-02-07", "0.1925", "USD", "", "", ""},
      {2, "dividend", 1588944600, "2020-05-08", "0.205", "USD", "", "", ""},
      {3, "dividend", 1596807000, "2020-08-07", "0.205", "USD", "", "", ""},
      {4, "dividend", 1604673000, "2020-11-06", "0.205", "USD", "", "", ""},
      {5, "dividend", 1612535400, "2021-02-05", "0.205", "USD", "", "", ""},
      {6, "dividend", 1620394200, "2021-05-07", "0.22", "USD", "", "", ""},
      {7, "dividend", 1628256600, "2021-08-06", "0.22", "USD", "", "", ""},
      {8, "dividend", 1636119000, "2021-11-05", "0.22", "USD", "", "", ""},
      {9, "dividend", 1643985000, "2022-02-04", "0.22", "USD", "", "", ""},
      {10, "dividend", 1651843800, "2022-05-06", "0.23", "USD", "", "", ""},
      {11, "dividend", 1659706200, "2022-08-05", "0.23", "USD", "", "", ""},
      {12, "dividend", 1667568600, "2022-11-04", "0.23", "USD", "", "", ""},
      {13, "dividend", 1676039400, "2023-02-10", "0.23", "USD", "", "", ""},
      {14, "dividend", 1683898200, "2023-05-12", "0.24", "USD", "", "", ""},
      {15, "dividend", 1691760600, "2023-08-11", "0.24", "USD", "", "", ""},
      {16, "dividend", 1699626600, "2023-11-10", "0.24", "USD", "", "", ""},
      {17, "dividend", 1707489000, "2024-02-09", "0.24", "USD", "", "", ""},
      {18, "dividend", 1715347800, "2024-05-10", "0.25", "USD", "", "", ""},
      {19, "dividend", 1723469400, "2024-08-12", "0.25", "USD", "", "", ""}}},
    {"AAPL_1mo_5y_events_split.json",
     1,
     0,
     1,
     0,
     {{0, "split", 1598880600, "2020-08-31", "", "", "4.0", "1.0", "4:1"}}},
    {"IBM_1d_1962-2021_TRIMMED_div_split_negative_ts.json",
     17,
     10,
     7,
     0,
     {{0, "dividend", -249298200, "1962-02-06", "0.000956", "USD", "", "", ""},
      {1, "dividend", -241439400, "1962-05-08", "0.000956", "USD", "", "", ""},
      {2, "dividend", -233577000, "1962-08-07", "0.000956", "USD", "", "", ""},
      {3, "dividend", -225797400, "1962-11-05", "0.000956", "USD", "", "", ""},
      {4, "dividend", -217848600, "1963-02-05", "0.001275", "USD", "", "", ""},
      {5, "split", -177417000, "1964-05-18", "", "", "5.0", "4.0", "5:4"},
      {6, "split", -114345000, "1966-05-18", "", "", "3.0", "2.0", "3:2"},
      {7, "split", -53343000, "1968-04-23", "", "", "2.0", "1.0", "2:1"},
      {8, "split", 107530200, "1973-05-29", "", "", "5.0", "4.0", "5:4"},
      {9, "split", 297091800, "1979-06-01", "", "", "4.0", "1.0", "4:1"},
      {10, "split", 864826200, "1997-05-28", "", "", "2.0", "1.0", "2:1"},
      {11, "split", 927811800, "1999-05-27", "", "", "2.0", "1.0", "2:1"},
      {12, "dividend", 1573137000, "2019-11-07", "1.548757", "USD", "", "", ""},
      {13, "dividend", 1581085800, "2020-02-07", "1.548757", "USD", "", "", ""},
      {14, "dividend", 1588858200, "2020-05-07", "1.558317", "USD", "", "", ""},
      {15, "dividend", 1596807000, "2020-08-07", "1.558317", "USD", "", "", ""},
      {16, "dividend", 1604932200, "2020-11-09", "1.558317", "USD", "", "", ""}}},
    {"MSFT_1d_2021-02_2022-01_events_div.json",
     4,
     4,
     0,
     0,
     {{0, "dividend", 1613572200, "2021-02-17", "0.56", "USD", "", "", ""},
      {1, "dividend", 1621431000, "2021-05-19", "0.56", "USD", "", "", ""},
      {2, "dividend", 1629293400, "2021-08-18", "0.56", "USD", "", "", ""},
      {3, "dividend", 1637159400, "2021-11-17", "0.62", "USD", "", "", ""}}},
    {"NVDA_1d_2021-02_2022-01_events_split.json",
     1,
     0,
     1,
     0,
     {{0, "split", 1626787800, "2021-07-20", "", "", "4", "1", "4:1"}}},
    {"ORSTED.CO_1d_2020_full_year_div.json",
     1,
     1,
     0,
     0,
     {{0, "dividend", 1583222400, "2020-03-03", "10.5", "DKK", "", "", ""}}},
    {"VFINX_MUTUALFUND_3mo_max_div_capitalGains.json",
     185,
     164,
     0,
     21,
     {{0, "dividend", 330960600, "1980-06-27", "0.16", "USD", "", "", ""},
      {1, "dividend", 339168600, "1980-09-30", "0.16", "USD", "", "", ""},
      {31, "capital_gain", 567786600, "1987-12-29", "0.17", "USD", "", "", ""},
      {37, "capital_gain", 599409000, "1988-12-29", "0.32", "USD", "", "", ""},
      {39, "capital_gain", 607185000, "1989-03-29", "0.17", "USD", "", "", ""},
      {43, "capital_gain", 630858600, "1989-12-28", "0.58", "USD", "", "", ""},
      {45, "capital_gain", 638634600, "1990-03-28", "0.05", "USD", "", "", ""},
      {49, "capital_gain", 662308200, "1990-12-27", "0.05", "USD", "", "", ""},
      {51, "capital_gain", 670084200, "1991-03-27", "0.07", "USD", "", "", ""},
      {55, "capital_gain", 693844200, "1991-12-27", "0.05", "USD", "", "", ""},
      {60, "capital_gain", 725639400, "1992-12-29", "0.1", "USD", "", "", ""},
      {62, "capital_gain", 732983400, "1993-03-24", "0.03", "USD", "", "", ""},
      {67, "capital_gain", 764433000, "1994-03-23", "0.08", "USD", "", "", ""},
      {71, "capital_gain", 788625000, "1994-12-28", "0.12", "USD", "", "", ""},
      {76, "capital_gain", 819642600, "1995-12-22", "0.13", "USD", "", "", ""},
      {78, "capital_gain", 827850600, "1996-03-26", "0.04", "USD", "", "", ""},
      {82, "capital_gain", 851092200, "1996-12-20", "0.21", "USD", "", "", ""},
      {84, "capital_gain", 859300200, "1997-03-25", "0.04", "USD", "", "", ""},
      {88, "capital_gain", 882887400, "1997-12-23", "0.55", "USD", "", "", ""},
      {90, "capital_gain", 891009000, "1998-03-27", "0.12", "USD", "", "", ""},
      {94, "capital_gain", 914337000, "1998-12-22", "0.3", "USD", "", "", ""},
      {96, "capital_gain", 922458600, "1999-03-26", "0.455", "USD", "", "", ""},
      {100, "capital_gain", 945959400, "1999-12-23", "0.54", "USD", "", "", ""},
      {183, "dividend", 1601299800, "2020-09-28", "1.233", "USD", "", "", ""},
      {184, "dividend", 1759152600, "2025-09-29", "1.588", "USD", "", "", ""}}},
};

TEST_F(YahooDecoderFixturesTest, EveryRecordedResponseWithEventsYieldsItsCorporateActions) {
  std::map<std::string, const ExpectedActions*> table;
  for (const auto& row : kActionTable) {
    table[row.file] = &row;
  }
  std::set<std::string> seen;
  for (const auto& file : testing::listYahooFixtures()) {
    const auto responses = testing::loadYahooFixture(file);
    for (const auto& response : responses) {
      SCOPED_TRACE(response.fixture);
      const Decoded decoded =
          decode(response.status, response.body, requestFromUrl(response.url, "X"), kLongAfter);
      const FetchResult& result = decoded.result;
      EXPECT_TRUE(result.invalid_actions.empty());
      const auto it = table.find(response.fixture);
      if (it == table.end()) {
        EXPECT_TRUE(result.actions.empty()) << "events in a fixture missing from kActionTable";
        continue;
      }
      seen.insert(response.fixture);
      const ExpectedActions& expected = *it->second;
      ASSERT_EQ(result.actions.size(), expected.count);
      int kinds[3] = {0, 0, 0};
      for (const auto& action : result.actions) {
        ++kinds[static_cast<int>(action.kind)];
      }
      EXPECT_EQ(kinds[0], expected.dividends);
      EXPECT_EQ(kinds[1], expected.splits);
      EXPECT_EQ(kinds[2], expected.capital_gains);
      for (const ActionRow& row : expected.rows) {
        SCOPED_TRACE(row.index);
        ASSERT_LT(row.index, result.actions.size());
        const core::CorporateAction& action = result.actions[row.index];
        EXPECT_EQ(core::corporateActionKindName(action.kind), row.type);
        EXPECT_EQ(action.timestamp, row.timestamp);
        EXPECT_EQ(action.day, row.day);
        EXPECT_EQ(action.amount, row.amount);
        EXPECT_EQ(action.currency, row.currency);
        EXPECT_EQ(action.numerator, row.numerator);
        EXPECT_EQ(action.denominator, row.denominator);
        EXPECT_EQ(action.ratio, row.ratio);
      }
    }
  }
  EXPECT_EQ(seen.size(), std::size(kActionTable)) << "a fixture with events is missing";
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
