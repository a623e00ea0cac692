// `rawfeed gaps` as a process: a domain run against the replay server, objects deleted from the
// lake, the audit finding exactly those, and `gaps --fill` making the lake whole with one batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <regex>
#include <set>

#include "core/time_format.h"
#include "integration/e2e/e2e_support.h"
#include "lake/raw_key.h"

namespace rawfeed::e2e {
namespace {

// (symbol, day) → key of the bars' objects in a listing.
std::map<std::pair<std::string, std::string>, std::string> byDay(const LakeListing& lake) {
  std::map<std::pair<std::string, std::string>, std::string> objects;
  for (const auto& [key, bytes] : lake.objects) {
    auto parsed = lake::parseKey(key);
    EXPECT_TRUE(parsed.ok()) << key;
    if (parsed.ok())
      objects[{parsed->symbol, parsed->partition.day}] = key;
  }
  return objects;
}

// "objects   N written, M skipped" of a run summary.
std::pair<int, int> objectCounts(const std::string& summary) {
  std::smatch match;
  const std::regex pattern(R"(objects\s+(\d+) written, (\d+) skipped)");
  if (!std::regex_search(summary, match, pattern)) {
    ADD_FAILURE() << "no objects line in: " << summary;
    return {-1, -1};
  }
  return {std::stoi(match[1]), std::stoi(match[2])};
}

// symbol → its missing days, from a `gaps --json` document.
std::map<std::string, std::vector<std::string>> missingOf(const nlohmann::json& document) {
  std::map<std::string, std::vector<std::string>> missing;
  for (const auto& entry : document["symbols"])
    missing[entry["symbol"]] = entry["missing"].get<std::vector<std::string>>();
  return missing;
}

class GapsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    // Three US symbols with AAPL's 49 sessions, two Tokyo ones with 1301.T's 23: each exchange
    // has its own days, and every symbol of it the same.
    for (const char* symbol : {"AAA", "BBB", "CCC"})
      serveAs(symbol, "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
    for (const char* symbol : {"1301.T", "1302.T"})
      serveAs(symbol, "1301.T_1d_1mo_2024-11.json");
    server_.start();
    config_ = dir_.path() / "rawfeed.toml";
    std::ofstream out(config_);
    out << "environment = \"e2e\"\n"
        << "[domains.customer-data]\n"
        << "symbols = [\"AAA\", \"BBB\", \"CCC\", \"1301.T\", \"1302.T\", \"NOPE\"]\n"
        << "lake = \"" << (dir_.path() / "lake").string() << "\"\n"
        << "state_dir = \"" << (dir_.path() / "state").string() << "\"\n";
  }

  void serveAs(const std::string& symbol, const std::string& fixture) {
    const auto responses = testing::loadYahooFixture(testing::yahooFixtureDir() / fixture);
    testing::ReplayResponse response;
    response.status = responses.front().status;
    response.headers = responses.front().headers;
    response.body = testing::substituteSymbol(responses.front().body, symbol);
    server_.registry().put(symbol, response);
  }

  std::vector<std::string> args(std::vector<std::string> command) {
    std::vector<std::string> all = {RAWFEED_BIN};
    all.insert(all.end(), command.begin(), command.end());
    all.insert(all.end(), {"--config", config_.string(), "--source-url", server_.baseUrl()});
    return all;
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

TEST_F(GapsE2eTest, FindsExactlyTheDeletedObjectsAndOneFillMakesTheLakeWhole) {
  Subprocess run(args({"run", "--period", "5y", "--batch-ds", "2024-01-02", "--no-progress"}),
                 dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  const fs::path lake_dir = dir_.path() / "lake";
  const LakeListing original = listLake(lake_dir);
  const auto objects = byDay(original);
  ASSERT_EQ(objects.size(), 3u * 49 + 2u * 23);

  Subprocess whole(args({"gaps"}), dir_.path(), "gaps-whole");
  EXPECT_EQ(whole.wait(), 0) << whole.out() << whole.err();

  // Random interior days (a symbol's first and last day bound its own range, so deleting them
  // shrinks it rather than leaving a gap): BBB loses a run of three sessions, AAA and CCC
  // random days BBB keeps (so the group still traded them), 1302.T two random days.
  std::map<std::string, std::vector<std::string>> days;
  for (const auto& [symbol_day, key] : objects)
    days[symbol_day.first].push_back(symbol_day.second);
  std::mt19937 random(20261207);
  auto interior = [&](const std::string& symbol) {
    const auto& own = days.at(symbol);
    return own[1 + random() % (own.size() - 2)];
  };
  std::map<std::string, std::set<std::string>> deleted;
  const auto& bbb = days.at("BBB");
  const std::size_t run_at = 5 + random() % 30;
  deleted["BBB"] = {bbb[run_at], bbb[run_at + 1], bbb[run_at + 2]};
  while (deleted["AAA"].size() + deleted["CCC"].size() < 4) {
    const std::string symbol = random() % 2 == 0 ? "AAA" : "CCC";
    const std::string day = interior(symbol);
    if (deleted["BBB"].count(day) == 0)
      deleted[symbol].insert(day);
  }
  while (deleted["1302.T"].size() < 2)
    deleted["1302.T"].insert(interior("1302.T"));
  int deleted_total = 0;
  for (const auto& [symbol, symbol_days] : deleted) {
    for (const auto& day : symbol_days) {
      ASSERT_TRUE(fs::remove(lake_dir / objects.at({symbol, day})));
      ++deleted_total;
    }
  }

  Subprocess audit(args({"gaps", "--json"}), dir_.path(), "gaps-json");
  ASSERT_EQ(audit.wait(), 5) << audit.out() << audit.err();
  const auto report = nlohmann::json::parse(audit.out());
  auto missing = missingOf(report);
  for (const char* symbol : {"AAA", "BBB", "CCC", "1301.T", "1302.T"}) {
    const auto& expected = deleted[symbol];
    EXPECT_EQ(missing[symbol], std::vector<std::string>(expected.begin(), expected.end()))
        << symbol;
  }
  EXPECT_EQ(report["never_landed"], nlohmann::json::array({"NOPE"}));
  EXPECT_EQ(report["totals"]["missing_days"], deleted_total);
  EXPECT_EQ(report["symbols"][0]["group"], ".T");  // "1301.T" sorts first

  // The plan: one window per symbol for daily bars, a day wider than its gaps on each side.
  Subprocess plan(args({"gaps", "--fill", "--dry-run", "--json"}), dir_.path(), "gaps-plan");
  ASSERT_EQ(plan.wait(), 5) << plan.err();
  const auto planned = nlohmann::json::parse(plan.out())["fill"];
  std::map<std::string, std::pair<std::string, std::string>> windows;
  for (const auto& entry : planned["symbols"]) {
    ASSERT_EQ(entry["windows"].size(), 1u) << entry;
    windows[entry["symbol"]] = {entry["windows"][0]["start"], entry["windows"][0]["end"]};
  }
  EXPECT_EQ(planned["requests"], static_cast<int>(windows.size()));
  for (const auto& [symbol, symbol_days] : deleted) {
    if (symbol_days.empty())
      continue;
    ASSERT_TRUE(windows.count(symbol)) << symbol;
    EXPECT_EQ(*core::parseDate(windows[symbol].first), *core::parseDate(*symbol_days.begin()) - 1);
    EXPECT_EQ(*core::parseDate(windows[symbol].second),
              *core::parseDate(*symbol_days.rbegin()) + 1);
  }

  server_.resetCounters();
  const auto events_before = readEvents(dir_.path() / "state").size();
  Subprocess fill(args({"gaps", "--fill", "--no-progress", "--no-probe"}), dir_.path(), "fill");
  ASSERT_EQ(fill.wait(), 0) << fill.out() << fill.err();

  // Whole again: the same objects, byte for byte, and nothing else (the corporate actions the
  // windows carried again were skipped too).
  const LakeListing filled = listLake(lake_dir);
  EXPECT_TRUE(filled.temporaries.empty());
  EXPECT_EQ(filled.objects, original.objects);
  EXPECT_EQ(filled.action_objects, original.action_objects);
  // One request per window, none for a symbol without gaps.
  for (const char* symbol : {"AAA", "BBB", "CCC", "1301.T", "1302.T", "NOPE"}) {
    EXPECT_EQ(server_.requestsFor(symbol), windows.count(symbol)) << symbol << "\n"
                                                                  << fill.out() << fill.err();
  }
  // One batch: written exactly the deleted objects; skipped what the windows hold besides them
  // (the replay answers a window with the fixture's every bar before its end, where Yahoo would
  // send the window's alone: between the two).
  const auto [written, skipped] = objectCounts(fill.out());
  EXPECT_EQ(written, deleted_total) << fill.out();
  int inside = 0;
  int before_end = 0;
  for (const auto& [symbol_day, key] : objects) {
    const auto found = windows.find(symbol_day.first);
    if (found == windows.end())
      continue;
    const auto& [start, end] = found->second;
    before_end += symbol_day.second <= end ? 1 : 0;
    inside += symbol_day.second >= start && symbol_day.second <= end ? 1 : 0;
  }
  EXPECT_GE(skipped, inside - deleted_total) << fill.out();
  EXPECT_LE(skipped, before_end - deleted_total) << fill.out();
  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), events_before + 1) << fill.out() << fill.err();
  EXPECT_EQ(events.back()["detail"]["objects_written"], deleted_total);

  Subprocess again(args({"gaps", "--json"}), dir_.path(), "gaps-again");
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_EQ(nlohmann::json::parse(again.out())["totals"]["missing_days"], 0);
}

TEST_F(GapsE2eTest, NothingMissingMeansNothingToFill) {
  Subprocess run(args({"run", "--period", "5y", "--no-progress"}), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.err();
  server_.resetCounters();
  Subprocess fill(args({"gaps", "--fill", "--no-progress"}), dir_.path(), "fill");
  ASSERT_EQ(fill.wait(), 0) << fill.out() << fill.err();
  EXPECT_NE(fill.out().find("nothing to fill"), std::string::npos) << fill.out();
  EXPECT_EQ(server_.counters().requests, 0u);
}

TEST_F(GapsE2eTest, BadFlagsAreUsageErrors) {
  Subprocess dry(args({"gaps", "--dry-run"}), dir_.path(), "dry");
  EXPECT_EQ(dry.wait(), 2);
  Subprocess json(args({"gaps", "--fill", "--json"}), dir_.path(), "json");
  EXPECT_EQ(json.wait(), 2);
  EXPECT_NE(json.err().find("--json goes with --fill only as --fill --dry-run"), std::string::npos)
      << json.err();
  Subprocess date(args({"gaps", "--start", "2024-02-30"}), dir_.path(), "date");
  EXPECT_EQ(date.wait(), 2);
  EXPECT_NE(date.err().find("--start '2024-02-30'"), std::string::npos) << date.err();
}

// The same against a csv_http source, whose requests carry the window's dates: the fill asks
// each symbol for exactly its window, and the source drops what lies outside it.
TEST(GapsCsvE2eTest, FillAsksEachSymbolForExactlyItsWindow) {
  contract::TempDir dir;
  testing::ReplayServer server;
  const std::vector<std::string> sessions = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
                                             "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11",
                                             "2024-01-12", "2024-01-15", "2024-01-16", "2024-01-17",
                                             "2024-01-18", "2024-01-19", "2024-01-22"};
  std::string body = "date,open,high,low,close,adj_close,volume\n";
  for (const auto& day : sessions)
    body += day + ",10,11,9,10.5,10.5,1000\n";
  for (const char* symbol : {"A", "B", "C"})
    server.csvRegistry().put(symbol, testing::csvResponse(body));
  server.start();
  const fs::path config = writeConfig(dir.path(), "data_source = \"csv_http\"\n");
  // writeConfig's domain has AAPL alone: the symbols come from the command line.
  auto command = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = {RAWFEED_BIN};
    all.insert(all.end(), extra.begin(), extra.end());
    all.insert(all.end(), {"--config", config.string(), "--source-url", server.csvBaseUrl()});
    return all;
  };
  Subprocess run(command({"run", "--symbols", "A,B,C", "--start", "2024-01-02", "--end",
                          "2024-01-22", "--no-progress"}),
                 dir.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  const fs::path lake_dir = dir.path() / "lake";
  const LakeListing original = listLake(lake_dir);
  ASSERT_EQ(original.objects.size(), 3 * sessions.size());
  const auto objects = byDay(original);
  for (const auto& [symbol, day] : std::vector<std::pair<std::string, std::string>>{
           {"B", "2024-01-09"}, {"B", "2024-01-10"}, {"C", "2024-01-16"}}) {
    ASSERT_TRUE(fs::remove(lake_dir / objects.at({symbol, day})));
  }

  const std::size_t requests_before = server.csvRequests().size();
  Subprocess fill(command({"gaps", "--symbols", "A,B,C", "--fill", "--no-progress", "--no-probe"}),
                  dir.path(), "fill");
  ASSERT_EQ(fill.wait(), 0) << fill.out() << fill.err();
  auto requests = server.csvRequests();
  requests.erase(requests.begin(), requests.begin() + static_cast<std::ptrdiff_t>(requests_before));
  std::sort(requests.begin(), requests.end());
  EXPECT_EQ(requests, (std::vector<std::string>{"/csv/B.csv?start=2024-01-08&end=2024-01-11",
                                                "/csv/C.csv?start=2024-01-15&end=2024-01-17"}));
  EXPECT_EQ(objectCounts(fill.out()), std::make_pair(3, 4)) << fill.out();
  EXPECT_EQ(listLake(lake_dir).objects, original.objects);

  Subprocess again(command({"gaps", "--symbols", "A,B,C"}), dir.path(), "again");
  EXPECT_EQ(again.wait(), 0) << again.out() << again.err();
}

}  // namespace
}  // namespace rawfeed::e2e
