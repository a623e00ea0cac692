// Incremental fetches: `rawfeed run` as a process against the replay server, twice on the same
// day and once "the next day" (the watermarks moved back a week), reading what the replay server
// was asked.
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

const std::map<std::string, std::string> kIncrementalServed = {
    {"AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json"},
    {"MSFT", "MSFT_1d_2021-02_2022-01_events_div.json"},
    {"1301.T", "1301.T_1d_1mo_2024-11.json"},
};

class IncrementalE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    for (const auto& [symbol, fixture] : kIncrementalServed)
      serveFixture(server_, symbol, fixture);
    server_.start();
  }

  void configure(const std::string& extra = "") {
    config_ = dir_.path() / "rawfeed.toml";
    std::ofstream out(config_, std::ios::trunc);
    out << "environment = \"e2e\"\n"
        << "[domains.customer-data]\n"
        << "symbols = [\"AAPL\", \"MSFT\", \"1301.T\"]\n"
        << "lake = \"" << (dir_.path() / "lake").string() << "\"\n"
        << "state_dir = \"" << (dir_.path() / "state").string() << "\"\n"
        << extra;
  }

  Subprocess run(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {RAWFEED_BIN,      "run",          "--config",
                                     config_.string(), "--source-url", server_.baseUrl(),
                                     "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Subprocess(args, dir_.path(), name);
  }

  fs::path watermarkDocument() const {
    return dir_.path() / "state" / "_rawfeed" / "watermarks" / "domain=customer-data" /
           "table_name=prices" / "interval=1d" / "data_source=yahoo_finance.jsonl";
  }

  std::map<std::string, nlohmann::json> watermarks() const {
    std::map<std::string, nlohmann::json> out;
    std::istringstream lines(readFile(watermarkDocument()));
    std::string line;
    while (std::getline(lines, line)) {
      auto json = nlohmann::json::parse(line);
      out[json["symbol"]] = json;
    }
    return out;
  }

  // The chart requests for `symbol` since `from` (an index into chartRequests()), the probe left
  // out.
  std::vector<std::string> asked(const std::string& symbol, std::size_t from) const {
    std::vector<std::string> out;
    const auto requests = server_.chartRequests();
    for (std::size_t i = from; i < requests.size(); ++i) {
      // The reachability probe (AAPL over range=1d) is not the symbol's fetch.
      if (requests[i].find("/chart/" + symbol + "?") != std::string::npos &&
          requests[i].find("range=1d&") == std::string::npos)
        out.push_back(requests[i]);
    }
    return out;
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(IncrementalE2eTest, ASameDayRerunAsksNothingAndTheNextDayOnlyWhatFollowsTheWatermark) {
  configure();
  const std::int64_t before_first = nowSeconds();
  Subprocess first = run("first");
  ASSERT_EQ(first.wait(), 0) << first.out() << first.err();
  const LakeListing landed = listLake(dir_.path() / "lake");
  ASSERT_FALSE(landed.objects.empty());
  // The first run knew no watermark: every symbol asked for the domain's period.
  for (const auto& [symbol, fixture] : kIncrementalServed) {
    const auto requests = asked(symbol, 0);
    ASSERT_EQ(requests.size(), 1u) << symbol;
    EXPECT_NE(requests[0].find("range=1mo"), std::string::npos) << requests[0];
  }
  auto marks = watermarks();
  ASSERT_EQ(marks.size(), 3u) << readFile(watermarkDocument());
  EXPECT_EQ(marks["AAPL"]["last_day"], "2020-11-06");
  EXPECT_EQ(marks["AAPL"]["time_zone"], "America/New_York");
  EXPECT_EQ(marks["AAPL"]["session_close_minute"], 960);
  EXPECT_EQ(marks["1301.T"]["time_zone"], "Asia/Tokyo");
  EXPECT_GE(marks["MSFT"]["checked_at"].get<std::int64_t>(), before_first);
  EXPECT_FALSE(marks["MSFT"]["weekends"].get<bool>());

  // The same day again: every symbol is up to date. Not one request, not even the probe; no
  // batch, no object, no manifest, no event.
  const auto requests_before = server_.counters().requests;
  const auto events_before = readEvents(dir_.path() / "state").size();
  Subprocess second = run("second");
  ASSERT_EQ(second.wait(), 0) << second.out() << second.err();
  EXPECT_EQ(server_.counters().requests, requests_before);
  EXPECT_NE(second.out().find("nothing to fetch: all 3 symbols are up to date"), std::string::npos)
      << second.out();
  const LakeListing unchanged = listLake(dir_.path() / "lake");
  EXPECT_EQ(unchanged.objects, landed.objects);
  EXPECT_EQ(unchanged.manifests, landed.manifests);
  EXPECT_EQ(readEvents(dir_.path() / "state").size(), events_before);

  // "The next day": the watermarks as a week ago, a few days behind the lake's last ones.
  {
    std::string document;
    for (auto& [symbol, mark] : marks) {
      mark["checked_at"] = mark["checked_at"].get<std::int64_t>() - 7 * 86400;
      if (symbol == "AAPL")
        mark["last_day"] = "2020-11-02";
      if (symbol == "1301.T")
        mark["last_day"] = "2024-11-20";
      document += mark.dump() + "\n";
    }
    std::ofstream(watermarkDocument(), std::ios::trunc) << document;
  }
  const std::size_t log_mark = server_.chartRequests().size();
  Subprocess third = run("third");
  ASSERT_EQ(third.wait(), 0) << third.out() << third.err();
  // Each symbol asked once, from the local midnight after its watermark, never for a range.
  const auto aapl = asked("AAPL", log_mark);
  ASSERT_EQ(aapl.size(), 1u);
  EXPECT_NE(aapl[0].find("period1=1604379600&"), std::string::npos) << aapl[0];  // 11-03 ET
  EXPECT_EQ(aapl[0].find("range="), std::string::npos) << aapl[0];
  const auto tokyo = asked("1301.T", log_mark);
  ASSERT_EQ(tokyo.size(), 1u);
  EXPECT_NE(tokyo[0].find("period1=1732114800&"), std::string::npos) << tokyo[0];  // 11-21 JST
  ASSERT_EQ(asked("MSFT", log_mark).size(), 1u);
  // What came back is in the lake already: skipped, nothing rewritten.
  EXPECT_EQ(listLake(dir_.path() / "lake").objects, landed.objects);
  EXPECT_NE(third.out().find("0 written"), std::string::npos) << third.out();
  // And the watermarks are back where the lake is.
  EXPECT_EQ(watermarks()["AAPL"]["last_day"], "2020-11-06");
}

TEST_F(IncrementalE2eTest, PeriodModeAndAnExplicitPeriodFetchWhatTheySay) {
  configure("fetch = \"period\"\n");
  Subprocess first = run("first");
  ASSERT_EQ(first.wait(), 0) << first.out() << first.err();
  std::size_t mark = server_.chartRequests().size();
  Subprocess second = run("second");
  ASSERT_EQ(second.wait(), 0) << second.out() << second.err();
  EXPECT_EQ(asked("AAPL", mark).size(), 1u);
  EXPECT_NE(second.out().find("skipped"), std::string::npos) << second.out();

  // With the default mode, --period overrides the watermarks, and --fetch period does too.
  configure();
  mark = server_.chartRequests().size();
  Subprocess explicit_period = run("explicit", {"--period", "5d"});
  ASSERT_EQ(explicit_period.wait(), 0) << explicit_period.out() << explicit_period.err();
  const auto requests = asked("AAPL", mark);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0].find("range=5d"), std::string::npos) << requests[0];
  mark = server_.chartRequests().size();
  Subprocess by_flag = run("by-flag", {"--fetch", "period"});
  ASSERT_EQ(by_flag.wait(), 0) << by_flag.out() << by_flag.err();
  EXPECT_EQ(asked("MSFT", mark).size(), 1u);
  // And the incremental default now finds everything up to date.
  Subprocess incremental = run("incremental");
  ASSERT_EQ(incremental.wait(), 0) << incremental.out() << incremental.err();
  EXPECT_NE(incremental.out().find("nothing to fetch"), std::string::npos) << incremental.out();
}

TEST_F(IncrementalE2eTest, ABadFetchModeIsRefusedByName) {
  configure("fetch = \"sometimes\"\n");
  Subprocess bad_config = run("bad-config");
  EXPECT_NE(bad_config.wait(), 0);
  EXPECT_NE(bad_config.err().find("fetch: unknown fetch mode 'sometimes'"), std::string::npos)
      << bad_config.err();
  configure();
  Subprocess bad_flag = run("bad-flag", {"--fetch", "never"});
  EXPECT_NE(bad_flag.wait(), 0);
  EXPECT_NE(bad_flag.err().find("--fetch"), std::string::npos) << bad_flag.err();
  Subprocess clash =
      run("clash", {"--fetch", "incremental", "--start", "2024-01-02", "--end", "2024-01-03"});
  EXPECT_NE(clash.wait(), 0);
  EXPECT_NE(clash.err().find("exclude each other"), std::string::npos) << clash.err();
  EXPECT_TRUE(server_.chartRequests().empty());
}

TEST_F(IncrementalE2eTest, ReRunningTheSameBatchIdShowsThatBatchAgain) {
  configure();
  Subprocess first = run("first", {"--batch-id", "incr-same"});
  ASSERT_EQ(first.wait(), 0) << first.out() << first.err();
  const auto events = readEvents(dir_.path() / "state").size();
  // Its own results made every symbol up to date, yet the same id resumes (and reports) it.
  Subprocess again = run("again", {"--batch-id", "incr-same"});
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_NE(again.out().find("batch incr-same"), std::string::npos) << again.out();
  EXPECT_NE(again.out().find("3 total: 3 ok"), std::string::npos) << again.out();
  EXPECT_EQ(readEvents(dir_.path() / "state").size(), events);
}

}  // namespace
}  // namespace rawfeed::e2e
