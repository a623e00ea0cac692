// The csv_http source over a scripted HttpClient, its descriptor, the lookback days and the
// registry that picks a source by data_source.
#include "sources/csv_http/csv_http_source.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/time_format.h"
#include "sources/csv_http/csv_http_descriptor.h"
#include "sources/lookback.h"
#include "sources/source_registry.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"

namespace rawfeed::sources::csv_http {
namespace {

using std::chrono::milliseconds;

const std::string kBody =
    "date,open,high,low,close,adj_close,volume\n"
    "2024-01-02,187.15,188.44,183.89,185.64,185.4,82488700\n"
    "2024-01-03,184.22,185.88,183.43,184.25,184.0,58414500\n"
    "2024-01-04,x,1,1,1,1,1\n";

std::int64_t day(const char* date) {
  return *core::parseDate(date);
}

class CsvHttpSourceTest : public ::testing::Test {
 protected:
  static SourceSettings settings() {
    SourceSettings s;
    s.base_url = "http://127.0.0.1:9/bars/";
    s.user_agent = "rawfeed-test";
    s.timeout = milliseconds(1234);
    s.max_retries = 2;
    return s;
  }

  std::vector<FetchResult> fetch(FetchRequest request) {
    CsvHttpSource source(http_, clock_, random_, settings());
    std::vector<FetchResult> results;
    source.fetch(std::move(request), [&](FetchResult r) { results.push_back(std::move(r)); });
    return results;
  }

  static FetchRequest january(std::string symbol = "AAPL") {
    FetchRequest request;
    request.symbol = std::move(symbol);
    request.window = TimeWindow::ofDays(day("2024-01-01"), day("2024-01-31"));
    return request;
  }

  fakes::FakeHttpClient http_;
  // 2024-03-15T12:00:00Z
  fakes::FakeClock clock_{core::SystemTime(std::chrono::seconds(1710504000)),
                          core::SteadyTime(std::chrono::hours(1000))};
  fakes::FixedRandom random_{0.5};
};

TEST_F(CsvHttpSourceTest, AsksForTheWindowsDaysAndReadsTheBars) {
  http_.answer(200, kBody, {{"content-type", "text/csv"}});
  const auto results = fetch(january("BRK.B"));
  ASSERT_EQ(results.size(), 1u);
  const FetchResult& r = results[0];
  EXPECT_EQ(r.outcome, FetchOutcome::kOk);
  EXPECT_EQ(r.symbol, "BRK.B");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.exchange_timezone, "UTC");
  ASSERT_EQ(r.days.size(), 2u);
  EXPECT_EQ(r.days[1].day, "2024-01-03");
  EXPECT_EQ(*r.days[1].records[0].close, "184.25");
  EXPECT_EQ(r.invalid_bars, (std::map<std::string, int, std::less<>>{{"not_a_number", 1}}));

  ASSERT_EQ(http_.requests().size(), 1u);
  const auto request = http_.requests()[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, "http://127.0.0.1:9/bars/BRK.B.csv?start=2024-01-01&end=2024-01-31");
  EXPECT_EQ(request.timeout, milliseconds(1234));
  const http::Headers want{{"User-Agent", "rawfeed-test"}, {"Accept", "text/csv"}};
  EXPECT_EQ(request.headers, want);
}

TEST_F(CsvHttpSourceTest, ALookbackBecomesDaysEndingToday) {
  http_.answer(200, "date,open,high,low,close,adj_close,volume\n");
  FetchRequest request;
  request.symbol = "^GSPC";
  request.lookback = "1mo";
  const auto results = fetch(request);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kEmpty);
  EXPECT_EQ(http_.requests()[0].url,
            "http://127.0.0.1:9/bars/%5EGSPC.csv?start=2024-02-15&end=2024-03-15");
}

TEST_F(CsvHttpSourceTest, StatusesBecomeOutcomes) {
  const std::vector<std::pair<int, FetchOutcome>> table = {
      {404, FetchOutcome::kNotFound},   {410, FetchOutcome::kNotFound},
      {400, FetchOutcome::kBadRequest}, {422, FetchOutcome::kBadRequest},
      {401, FetchOutcome::kBlocked},    {403, FetchOutcome::kBlocked},
  };
  for (const auto& [status, outcome] : table) {
    http_.answer(status, "no such symbol");
    const auto results = fetch(january());
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, outcome) << status;
    EXPECT_EQ(results[0].attempts, 1) << status;
    EXPECT_EQ(results[0].reason, "HTTP " + std::to_string(status) + ": no such symbol");
  }
}

TEST_F(CsvHttpSourceTest, RetriesThrottledAndTransientAnswersThenGivesUp) {
  http_.answer(503, "down").answer(429, "slow down", {{"retry-after", "3"}}).answer(500, "down");
  const auto results = fetch(january());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kTransient);
  EXPECT_EQ(results[0].attempts, 3);
  EXPECT_EQ(results[0].reason, "HTTP 500: down (after 3 attempts)");
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 3u);
  const auto now = clock_.steadyNow();
  EXPECT_EQ(requests[0].not_before, core::SteadyTime{});
  EXPECT_EQ(requests[1].not_before, now + milliseconds(250));   // full jitter 0.5 of 500 ms
  EXPECT_EQ(requests[2].not_before, now + milliseconds(3000));  // Retry-After
  EXPECT_EQ(requests[2].attempt, 3);
}

TEST_F(CsvHttpSourceTest, AnUnreadableBodyIsTransientAndRetried) {
  http_.answer(200, "<html>consent</html>").answer(200, kBody);
  const auto results = fetch(january());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk);
  EXPECT_EQ(results[0].attempts, 2);
}

TEST_F(CsvHttpSourceTest, NoRetryStartsAfterStartBy) {
  http_.answer(503, "down");
  FetchRequest request = january();
  request.start_by = clock_.steadyNow() + milliseconds(100);
  const auto results = fetch(request);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kTransient);
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_EQ(http_.requests()[0].start_by, *request.start_by);
}

TEST_F(CsvHttpSourceTest, OnlyDailyBarsAreServed) {
  FetchRequest request = january();
  request.interval = "1h";
  const auto results = fetch(request);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kBadRequest);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(CsvHttpSourceTest, ProbesTheServersRoot) {
  CsvHttpSource source(http_, clock_, random_, settings());
  const auto probe = source.probeRequest();
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->url, "http://127.0.0.1:9/bars/");
}

TEST(CsvHttpDescriptorTest, SplitsLongBackfillsIntoTenYearWindows) {
  const SourceDescriptor& csv = csvHttpDescriptor();
  const auto now = core::SystemTime(std::chrono::seconds(1710504000));
  auto windows = csv.splitBackfill("1d", {"1990-01-01", "2024-03-14"}, now);
  ASSERT_TRUE(windows.ok());
  ASSERT_EQ(windows->size(), 4u);
  EXPECT_EQ((*windows)[0].start, "1990-01-01");
  EXPECT_EQ((*windows)[1].start, core::formatDate(day("1990-01-01") + 3660));
  EXPECT_EQ((*windows)[3].end, "2024-03-14");
  for (std::size_t i = 1; i < windows->size(); ++i)
    EXPECT_EQ(day((*windows)[i].start.c_str()), day((*windows)[i - 1].end.c_str()) + 1);
  EXPECT_FALSE(csv.splitBackfill("1h", {"2024-01-01", "2024-01-02"}, now).ok());
  EXPECT_FALSE(csv.splitBackfill("1d", {"2024-01-02", "2024-01-01"}, now).ok());
}

TEST(CsvHttpDescriptorTest, ServesDailyBarsInItsOwnNotation) {
  const SourceDescriptor& csv = csvHttpDescriptor();
  EXPECT_EQ(csv.name(), "csv_http");
  EXPECT_TRUE(csv.supportsInterval("1d"));
  EXPECT_FALSE(csv.supportsInterval("1wk"));
  EXPECT_EQ(*csv.normalizeSymbol("  brk.b "), "BRK.B");
  // No Yahoo mapping: a listing's warrant keeps its suffix, its preferred share is refused.
  EXPECT_EQ(*csv.normalizeSymbol("achr-w"), "ACHR-W");
  EXPECT_FALSE(csv.normalizeSymbol("ABR$D").ok());
  EXPECT_FALSE(csv.normalizeSymbol(" ").ok());
  EXPECT_FALSE(csv.normalizeSymbol("ABCDEFGHIJKLMNOPQRSTU").ok());
}

TEST(LookbackDaysTest, PeriodsEndToday) {
  const std::int64_t today = day("2024-03-31");
  const std::vector<std::pair<const char*, const char*>> table = {
      {"1d", "2024-03-31"},  {"5d", "2024-03-27"},  {"1mo", "2024-02-29"}, {"3mo", "2023-12-31"},
      {"6mo", "2023-09-30"}, {"1y", "2023-03-31"},  {"2y", "2022-03-31"},  {"5y", "2019-03-31"},
      {"10y", "2014-03-31"}, {"ytd", "2024-01-01"}, {"max", "1800-01-01"},
  };
  for (const auto& [period, first] : table) {
    auto days = lookbackDays(period, today);
    ASSERT_TRUE(days.ok()) << period;
    EXPECT_EQ(core::formatDate(days->first), first) << period;
    EXPECT_EQ(days->last, today) << period;
  }
  EXPECT_FALSE(lookbackDays("2wk", today).ok());
}

TEST(SourceRegistryTest, FindsEverySourceByItsDataSource) {
  EXPECT_EQ(sourceNames(), (std::vector<std::string_view>{"csv_http", "yahoo_finance"}));
  for (const auto name : sourceNames()) {
    auto source = sourceNamed(name);
    ASSERT_TRUE(source.ok()) << name;
    EXPECT_EQ((*source)->name(), name);
    EXPECT_TRUE((*source)->supportsInterval("1d")) << name;
  }
  EXPECT_EQ(findSource("csv_http"), &csvHttpDescriptor());
  const auto unknown = sourceNamed("bloomberg");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(unknown.error().message,
            "unknown data_source 'bloomberg' (known: csv_http, yahoo_finance)");
}

TEST(SourceRegistryTest, YahooKeepsItsNotationAndHistoryLimits) {
  auto yahoo = sourceNamed("yahoo_finance");
  ASSERT_TRUE(yahoo.ok());
  EXPECT_EQ(*(*yahoo)->normalizeSymbol("abr$d"), "ABR-PD");
  EXPECT_TRUE((*yahoo)->supportsInterval("1m"));
  const auto now = core::SystemTime(std::chrono::seconds(1710504000));
  EXPECT_FALSE((*yahoo)->splitBackfill("1m", {"2023-01-01", "2023-01-02"}, now).ok());
  auto windows = (*yahoo)->splitBackfill("1m", {"2024-03-01", "2024-03-10"}, now);
  ASSERT_TRUE(windows.ok());
  EXPECT_EQ(windows->size(), 2u);
}

// One reading of an HTTP status for every source over HTTP (Yahoo's and this one).
TEST(OutcomeOfHttpStatusTest, EveryClassOfStatus) {
  EXPECT_EQ(outcomeOfHttpStatus(404), FetchOutcome::kNotFound);
  EXPECT_EQ(outcomeOfHttpStatus(410), FetchOutcome::kNotFound);
  EXPECT_EQ(outcomeOfHttpStatus(429), FetchOutcome::kThrottled);
  for (const int refused : {401, 403, 301, 302, 307})
    EXPECT_EQ(outcomeOfHttpStatus(refused), FetchOutcome::kBlocked) << refused;
  for (const int bad : {400, 405, 422})
    EXPECT_EQ(outcomeOfHttpStatus(bad), FetchOutcome::kBadRequest) << bad;
  for (const int transient : {408, 500, 502, 503, 504, 599, 101, 204})
    EXPECT_EQ(outcomeOfHttpStatus(transient), FetchOutcome::kTransient) << transient;
}

}  // namespace
}  // namespace rawfeed::sources::csv_http
