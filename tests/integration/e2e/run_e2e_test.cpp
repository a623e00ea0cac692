// `rawfeed run` as a process against the replay server serving recorded Yahoo responses.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "digest/sha256.h"
#include "integration/e2e/e2e_support.h"
#include "lake/compression.h"
#include "lake/gzip.h"

namespace rawfeed::e2e {
namespace {

// symbol → (fixture, objects it yields: one per trading day). Range requests carry no period2,
// so the bars Yahoo appended after a backfill window's end are kept (BTC-USD's 2021-01-04,
// EURUSD=X's 2020-01-03), unlike the period1/period2 rows of the decoder's fixture table.
const std::map<std::string, std::pair<std::string, int>> kServed = {
    {"AAPL", {"AAPL_1d_2020-08-31_2020-11-07_div_split.json", 49}},
    {"MSFT", {"MSFT_1d_2021-02_2022-01_events_div.json", 252}},
    {"1301.T", {"1301.T_1d_1mo_2024-11.json", 23}},
    {"BTC-USD", {"BTC-USD_1d_2020_full_year_nulls.json", 366}},
    {"EURUSD=X", {"EURUSD=X_1d_2020-01-01_2020-01-03.json", 3}},
    {"CAPIO.ST", {"CAPIO.ST_1d_no_data_empty_quote_object.json", 0}},
    {"SI", {"SI_ERROR_404_not_found_delisted.json", 0}},
    {"BEKE", {"BEKE_ERROR_400_data_doesnt_exist_before_listing.json", 0}},
};
constexpr int kObjects = 49 + 252 + 23 + 366 + 3;
const char* kRunSymbols = "AAPL,MSFT,1301.T,BTC-USD,EURUSD=X,CAPIO.ST,SI,BEKE,ABR$D,bad symbol";

class RunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    for (const auto& [symbol, served] : kServed)
      serveFixture(server_, symbol, served.first);
    server_.start();
    config_ = writeConfig(dir_.path());
  }

  std::vector<std::string> runArgs(const std::string& batch_id,
                                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {RAWFEED_BIN,  "run",       "--config",     config_.string(),
                                     "--symbols",  kRunSymbols, "--source-url", server_.baseUrl(),
                                     "--batch-id", batch_id,    "--batch-ds",   "2024-01-02",
                                     "--period",   "5y",        "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

TEST_F(RunE2eTest, LandsExactObjectsManifestsEventAndSummary) {
  Subprocess run(runArgs("e2e-batch-1"), dir_.path(), "run");
  const int status = run.wait();
  ASSERT_EQ(status, 0) << run.out() << run.err();

  const LakeListing lake = listLake(dir_.path() / "lake");
  EXPECT_TRUE(lake.temporaries.empty());
  ASSERT_EQ(static_cast<int>(lake.objects.size()), kObjects);
  for (const auto& [symbol, served] : kServed) {
    int count = 0;
    const std::string encoded = symbol == "EURUSD=X" ? "EURUSD%3DX" : symbol;
    for (const auto& [key, bytes] : lake.objects) {
      if (key.size() > encoded.size() + 5 &&
          key.compare(key.rfind('/') + 1, std::string::npos, encoded + ".json") == 0) {
        ++count;
        // One record per daily object, every field of contracts §5 present.
        auto record = nlohmann::json::parse(bytes);
        EXPECT_EQ(record["symbol"], symbol);
        for (const char* field :
             {"timestamp", "open", "high", "low", "close", "adjusted_close", "volume"}) {
          EXPECT_TRUE(record.contains(field)) << key;
        }
      }
    }
    EXPECT_EQ(count, served.second) << symbol;
  }
  // Tokyo's bars stamped 00:00 UTC land on the Tokyo date; the AAPL split day keeps its digits.
  EXPECT_TRUE(lake.objects.count(
      "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=11/day=06/"
      "1301.T.json"));

  // Manifests list every object exactly once with its true size and hash.
  int listed = 0;
  for (const auto& [key, bytes] : lake.manifests) {
    auto manifest = nlohmann::json::parse(bytes);
    EXPECT_EQ(manifest["schema"], "rawfeed.manifest/1");
    EXPECT_EQ(manifest["batch_id"], "e2e-batch-1");
    EXPECT_EQ(manifest["environment"], "e2e");
    for (const auto& object : manifest["objects"]) {
      ++listed;
      const std::string object_key = object["key"];
      ASSERT_TRUE(lake.objects.count(object_key)) << object_key;
      EXPECT_EQ(object["bytes"], lake.objects.at(object_key).size());
      EXPECT_EQ(object["sha256"], digest::sha256Hex(lake.objects.at(object_key)));
      EXPECT_EQ(object["records"], 1);
    }
    EXPECT_EQ(manifest["failed_symbols"].size(), 3u) << key;
  }
  EXPECT_EQ(listed, kObjects);

  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  const auto& detail = events[0]["detail"];
  EXPECT_EQ(events[0]["detail-type"], "Extract Batch Completed");
  EXPECT_EQ(detail["batch_id"], "e2e-batch-1");
  EXPECT_EQ(detail["objects_written"], kObjects);
  EXPECT_EQ(detail["objects_skipped"], 0);
  EXPECT_EQ(detail["status"], "partial");
  EXPECT_EQ(detail["manifest_keys"].size(), lake.manifests.size());
  std::map<std::string, std::string> failed;
  for (const auto& f : detail["failed_symbols"])
    failed[f["symbol"]] = f["outcome"];
  EXPECT_EQ(failed, (std::map<std::string, std::string>{
                        {"ABR-PD", "not_found"}, {"BEKE", "bad_request"}, {"SI", "not_found"}}));

  const std::string summary = run.out();
  EXPECT_NE(summary.find("10 total: 5 ok, 1 empty, 3 failed, 1 rejected at validation"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find(std::to_string(kObjects) + " written, 0 skipped"), std::string::npos);
  EXPECT_NE(summary.find("0 dead-lettered messages"), std::string::npos);
  EXPECT_NE(summary.find("bad symbol"), std::string::npos);
}

TEST_F(RunE2eTest, SecondRunOfTheSameBatchWritesNothingNew) {
  Subprocess first(runArgs("e2e-again"), dir_.path(), "first");
  ASSERT_EQ(first.wait(), 0) << first.err();
  const LakeListing before = listLake(dir_.path() / "lake");
  const auto requests = server_.counters().requests;
  struct stat manifest_stat {};
  ASSERT_EQ(
      ::stat((dir_.path() / "lake" / before.manifests.begin()->first).c_str(), &manifest_stat), 0);

  Subprocess second(runArgs("e2e-again"), dir_.path(), "second");
  ASSERT_EQ(second.wait(), 0) << second.err();
  const LakeListing after = listLake(dir_.path() / "lake");
  EXPECT_EQ(after.objects, before.objects);
  EXPECT_EQ(after.manifests, before.manifests);
  EXPECT_EQ(readEvents(dir_.path() / "state").size(), 1u);
  // Only the reachability probe went to the source.
  EXPECT_LE(server_.counters().requests - requests, 1u);
  EXPECT_NE(second.out().find(std::to_string(kObjects) + " written"), std::string::npos)
      << "the summary reports the batch as recorded: " << second.out();

  // A new batch over the same days finds every object in place and skips it.
  Subprocess third(runArgs("e2e-new"), dir_.path(), "third");
  ASSERT_EQ(third.wait(), 0) << third.err();
  EXPECT_EQ(listLake(dir_.path() / "lake").objects, before.objects);
  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["detail"]["objects_written"], 0);
  EXPECT_EQ(events[1]["detail"]["objects_skipped"], kObjects);
}

TEST_F(RunE2eTest, InjectedThrottlingAndServerErrorsStillLandEverySymbol) {
  testing::ReplayFaults faults;
  faults.fail_first = 1;  // every symbol's first request: 429
  faults.fail_first_kind = testing::FaultKind::k429;
  faults.rates = {{testing::FaultKind::k503, 0.25}, {testing::FaultKind::kReset, 0.05}};
  faults.seed = 7;
  server_.setFaults(faults);
  // Every first request refused looks like a ban to the governor: keep its pauses short here.
  config_ = writeConfig(dir_.path(),
                        "[domains.customer-data.source.limits]\npause_min_seconds = 1\n"
                        "pause_max_seconds = 2\n");
  Subprocess run(runArgs("e2e-faults"), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_EQ(static_cast<int>(listLake(dir_.path() / "lake").objects.size()), kObjects);
  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["objects_written"], kObjects);
  EXPECT_GT(server_.counters().faults, 8u);
}

TEST_F(RunE2eTest, CsvGzipObjectsDecodeToTheSameRecords) {
  Subprocess run(runArgs("e2e-csv", {"--format", "csv", "--gzip"}), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.err();
  const LakeListing lake = listLake(dir_.path() / "lake");
  ASSERT_EQ(static_cast<int>(lake.objects.size()), kObjects);
  const std::string key =
      "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=11/day=06/"
      "1301.T.csv.gz";
  ASSERT_TRUE(lake.objects.count(key));
  auto csv = lake::gzipDecompress(lake.objects.at(key));
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->substr(0, csv->find('\n')),
            "symbol,timestamp,open,high,low,close,adjusted_close,volume");
  EXPECT_NE(csv->find("\n1301.T,2024-11-06T00:00:00Z,4125,"), std::string::npos) << *csv;
}

// The zstd sibling of the gzip run, chosen in the config: every object lands as .json.zst with
// Content-Encoding's codec, is listed so in the manifests, and decodes to exactly the bytes an
// uncompressed run of the same batch writes; compressing those again at the configured level
// gives the stored bytes (deterministic, and the level reached the worker).
TEST_F(RunE2eTest, ZstdObjectsFromTheConfigDecodeToTheSameRecords) {
  config_ = writeConfig(dir_.path(), "compression = \"zstd\"\ncompression_level = 5\n");
  Subprocess run(runArgs("e2e-zstd"), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.err();
  const LakeListing zstd = listLake(dir_.path() / "lake");
  ASSERT_EQ(static_cast<int>(zstd.objects.size()), kObjects);
  int listed = 0;
  for (const auto& [key, bytes] : zstd.manifests) {
    const auto manifest = nlohmann::json::parse(bytes);
    for (const auto& object : manifest["objects"]) {
      ++listed;
      const std::string object_key = object["key"];
      ASSERT_TRUE(zstd.objects.count(object_key)) << object_key;
      EXPECT_EQ(object["sha256"], digest::sha256Hex(zstd.objects.at(object_key)));
      EXPECT_EQ(object["bytes"], zstd.objects.at(object_key).size());
      EXPECT_EQ(object["records"], 1);
    }
  }
  EXPECT_EQ(listed, kObjects);

  // The same batch uncompressed (other keys, so nothing is skipped) to compare against.
  Subprocess plain_run(runArgs("e2e-plain", {"--compression", "none"}), dir_.path(), "plain");
  ASSERT_EQ(plain_run.wait(), 0) << plain_run.err();
  const LakeListing both = listLake(dir_.path() / "lake");
  ASSERT_EQ(static_cast<int>(both.objects.size()), 2 * kObjects);
  for (const auto& [key, bytes] : zstd.objects) {
    ASSERT_EQ(key.substr(key.size() - 9), ".json.zst") << key;
    const std::string plain_key = key.substr(0, key.size() - 4);
    ASSERT_TRUE(both.objects.count(plain_key)) << plain_key;
    const std::string& plain = both.objects.at(plain_key);
    auto decoded = lake::decompress(bytes, core::Compression::kZstd);
    ASSERT_TRUE(decoded.ok()) << key << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, plain) << key;
    EXPECT_EQ(lake::compress(plain, core::Compression::kZstd, 5).value(), bytes) << key;
    const auto record = nlohmann::json::parse(*decoded);
    EXPECT_TRUE(kServed.count(record["symbol"].get<std::string>())) << key;
    EXPECT_TRUE(record.contains("close")) << key;
  }
}

TEST_F(RunE2eTest, CsvZstdObjectsFromTheFlagDecodeToTheSameRecords) {
  Subprocess run(runArgs("e2e-csv-zstd", {"--format", "csv", "--compression", "zstd"}), dir_.path(),
                 "run");
  ASSERT_EQ(run.wait(), 0) << run.err();
  const LakeListing lake = listLake(dir_.path() / "lake");
  ASSERT_EQ(static_cast<int>(lake.objects.size()), kObjects);
  const std::string key =
      "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=11/day=06/"
      "1301.T.csv.zst";
  ASSERT_TRUE(lake.objects.count(key));
  auto csv = lake::decompress(lake.objects.at(key), core::Compression::kZstd);
  ASSERT_TRUE(csv.ok()) << csv.error().message;
  EXPECT_EQ(csv->substr(0, csv->find('\n')),
            "symbol,timestamp,open,high,low,close,adjusted_close,volume");
  EXPECT_NE(csv->find("\n1301.T,2024-11-06T00:00:00Z,4125,"), std::string::npos) << *csv;
}

TEST_F(RunE2eTest, BadFlagsAndTriggersAreRejectedBeforeAnythingIsEnqueued) {
  for (auto extra :
       std::vector<std::vector<std::string>>{{"--interval", "5h"},
                                             {"--start", "2024-02-30", "--end", "2024-03-01"},
                                             {"--format", "parquet"},
                                             {"--gzip", "--compression", "zstd"},
                                             {"--concurrency", "0"}}) {
    auto args = runArgs("e2e-bad");
    // --period conflicts with --start; drop it for the date case.
    if (extra[0] == "--start")
      args.erase(args.end() - 3, args.end() - 1);
    args.insert(args.end(), extra.begin(), extra.end());
    Subprocess run(args, dir_.path(), "bad");
    EXPECT_EQ(run.wait(), 2) << extra[0] << ": " << run.err();
    EXPECT_NE(run.err().find("rawfeed: "), std::string::npos) << run.err();
  }
  EXPECT_TRUE(listLake(dir_.path() / "lake").objects.empty());
  // Validation comes before the reachability probe: not one request reached the source.
  EXPECT_EQ(server_.counters().requests, 0u);
}

// A hostile source (issue 10): far-past stamps and absurd values were garbled into keys such
// as year=-100/month=-1 or written verbatim, and three of five bars were lost as "skipped". Now
// the valid bars land, the invalid ones are counted by reason in the summary and the manifest.
TEST(RunE2eHostileSourceTest, InvalidBarsAreDroppedCountedAndNeverWritten) {
  contract::TempDir dir;
  testing::ReplayServer server;
  testing::ReplayResponse response;
  response.status = 200;
  response.headers = testing::chartHeaders();
  response.body =
      R"({"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York",)"
      R"("gmtoffset":-18000,"dataGranularity":"1d"},)"
      R"("timestamp":[-93700000000,1577975400,1578061800,1578321000,1578407400,-1000000000000000],)"
      R"("indicators":{"quote":[{"open":[1,1,-2,1,1,1],"high":[1,1,1,1,1,1],"low":[1,1,1,1,1,1],)"
      R"("close":[1,1,1,1e309,1,1],"volume":[1,1,1,1,99999999999999999999999,1]}],)"
      R"("adjclose":[{"adjclose":[1,1,1,1,1,1]}]}}],"error":null}})";
  server.registry().put("BAD", response);
  server.start();
  const fs::path config = writeConfig(dir.path());
  Subprocess run({RAWFEED_BIN, "run", "--config", config.string(), "--symbols", "BAD",
                  "--source-url", server.baseUrl(), "--batch-id", "hostile-1", "--batch-ds",
                  "2024-01-02", "--period", "5y", "--no-progress", "--no-probe"},
                 dir.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_NE(run.out().find("1 ok"), std::string::npos) << run.out();
  EXPECT_NE(run.out().find("bars      5 dropped as invalid, of 1 symbols (2 date_out_of_range, "
                           "1 negative, 1 not_finite, 1 volume_out_of_range)"),
            std::string::npos)
      << run.out();
  const LakeListing lake = listLake(dir.path() / "lake");
  for (const auto& [key, bytes] : lake.objects)
    EXPECT_EQ(key.find("year=-"), std::string::npos) << key;
  const auto objects = lake.objects.size();
  ASSERT_EQ(lake.manifests.size(), 1u);
  const std::string manifest = lake.manifests.begin()->second;
  EXPECT_EQ(objects, 1u);  // 2020-01-02: the only bar with every value valid
  EXPECT_NE(
      manifest.find(R"("invalid_bars":[{"symbol":"BAD","reason":"date_out_of_range","bars":2})"),
      std::string::npos)
      << manifest;
}

// Issue 12: corporate actions in their own table. AAPL (a split and a dividend on two days),
// 6309.T (a dividend and a split on one day) and an events-only answer (no bars, one dividend
// and one invalid entry) land one object per symbol and day in corporate_actions, with a
// manifest per day they touched and both tables in the completion event; a new batch skips both.
class CorporateActionsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    serveFixture(server_, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
    serveFixture(server_, "6309.T", "6309.T_1d_1mo_2025-05_split3for1_div.json");
    testing::ReplayResponse events_only;
    events_only.headers = {{"content-type", "application/json;charset=utf-8"}};
    events_only.body =
        R"({"chart":{"result":[{"meta":{"currency":"EUR","symbol":"EVONLY",)"
        R"("exchangeTimezoneName":"Europe/Berlin","gmtoffset":7200,"dataGranularity":"1d"},)"
        R"("events":{"dividends":{"1714550400":{"amount":1.10,"date":1714550400},)"
        R"("1714636800":{"amount":-1,"date":1714636800}}}}],"error":null}})";
    server_.registry().put("EVONLY", events_only);
    server_.start();
    config_ = writeConfig(dir_.path());
  }

  std::vector<std::string> runArgs(const std::string& batch_id) {
    return {RAWFEED_BIN,    "run",
            "--config",     config_.string(),
            "--symbols",    "AAPL,6309.T,EVONLY",
            "--source-url", server_.baseUrl(),
            "--batch-id",   batch_id,
            "--batch-ds",   "2024-01-02",
            "--period",     "5y",
            "--no-progress"};
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

constexpr const char* kActionsRoot =
    "customer-data/corporate_actions/interval=1d/data_source=yahoo_finance/";

TEST_F(CorporateActionsE2eTest, LandBesideTheBarsWithManifestsAndTheEventAndAreSkippedAfter) {
  Subprocess run(runArgs("e2e-actions-1"), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  const LakeListing lake = listLake(dir_.path() / "lake");
  const std::string root = kActionsRoot;
  const std::string aapl_split = root + "year=2020/month=08/day=31/AAPL.json";
  const std::string aapl_dividend = root + "year=2020/month=11/day=06/AAPL.json";
  const std::string tokyo = root + "year=2025/month=04/day=28/6309.T.json";
  const std::string events_only = root + "year=2024/month=05/day=01/EVONLY.json";
  const std::map<std::string, std::string> expected = {
      {aapl_split,
       R"({"symbol":"AAPL","date":"2020-08-31","timestamp":"2020-08-31T13:30:00Z","type":"split",)"
       R"("amount":null,"currency":null,"numerator":4,"denominator":1,"split_ratio":"4:1"})"
       "\n"},
      {aapl_dividend, R"({"symbol":"AAPL","date":"2020-11-06","timestamp":"2020-11-06T14:30:00Z",)"
                      R"("type":"dividend","amount":0.205,"currency":"USD","numerator":null,)"
                      R"("denominator":null,"split_ratio":null})"
                      "\n"},
      {tokyo,
       R"({"symbol":"6309.T","date":"2025-04-28","timestamp":"2025-04-28T00:00:00Z",)"
       R"("type":"dividend","amount":73,"currency":"JPY","numerator":null,"denominator":null,)"
       R"("split_ratio":null})"
       "\n"
       R"({"symbol":"6309.T","date":"2025-04-28","timestamp":"2025-04-28T00:00:00Z",)"
       R"("type":"split","amount":null,"currency":null,"numerator":3,"denominator":1,)"
       R"("split_ratio":"3:1"})"
       "\n"},
      {events_only, R"({"symbol":"EVONLY","date":"2024-05-01","timestamp":"2024-05-01T08:00:00Z",)"
                    R"("type":"dividend","amount":1.10,"currency":"EUR","numerator":null,)"
                    R"("denominator":null,"split_ratio":null})"
                    "\n"},
  };
  EXPECT_EQ(lake.action_objects, expected);
  EXPECT_EQ(static_cast<int>(lake.objects.size()), 49 + 17) << "the bars' table is unchanged";

  // One manifest per (table, day): the actions' days only, each listing its objects.
  std::vector<std::string> action_manifest_keys;
  for (const auto& [key, object] : expected) {
    const std::string manifest_key = key.substr(0, key.rfind('/')) + "/_batch.manifest.json";
    action_manifest_keys.push_back(manifest_key);
    ASSERT_TRUE(lake.action_manifests.count(manifest_key)) << manifest_key;
    auto manifest = nlohmann::json::parse(lake.action_manifests.at(manifest_key));
    EXPECT_EQ(manifest["table_name"], "corporate_actions");
    EXPECT_EQ(manifest["batch_id"], "e2e-actions-1");
    ASSERT_EQ(manifest["objects"].size(), 1u) << manifest_key;
    EXPECT_EQ(manifest["objects"][0]["key"], key);
    EXPECT_EQ(manifest["objects"][0]["records"], key == tokyo ? 2 : 1);
    EXPECT_EQ(manifest["objects"][0]["bytes"], object.size());
    EXPECT_EQ(manifest["objects"][0]["sha256"], digest::sha256Hex(object));
    EXPECT_FALSE(manifest.contains("invalid_bars"));
    EXPECT_EQ(manifest["invalid_actions"],
              nlohmann::json::parse(R"([{"symbol":"EVONLY","reason":"negative","actions":1}])"));
  }
  EXPECT_EQ(lake.action_manifests.size(), expected.size());
  std::sort(action_manifest_keys.begin(), action_manifest_keys.end());
  for (const auto& [key, bytes] : lake.manifests)
    EXPECT_EQ(nlohmann::json::parse(bytes)["table_name"], "prices") << key;

  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  const auto& detail = events[0]["detail"];
  EXPECT_EQ(detail["table_name"], "prices");
  EXPECT_EQ(detail["objects_written"], 49 + 17);
  EXPECT_EQ(detail["manifest_keys"].size(), lake.manifests.size());
  EXPECT_EQ(detail["status"], "complete");
  ASSERT_EQ(detail["tables"].size(), 2u);
  EXPECT_EQ(detail["tables"][0]["table_name"], "prices");
  EXPECT_EQ(detail["tables"][0]["manifest_keys"], detail["manifest_keys"]);
  EXPECT_EQ(detail["tables"][0]["objects_written"], 49 + 17);
  EXPECT_EQ(detail["tables"][0]["objects_skipped"], 0);
  EXPECT_EQ(detail["tables"][1]["table_name"], "corporate_actions");
  EXPECT_EQ(detail["tables"][1]["manifest_keys"].get<std::vector<std::string>>(),
            action_manifest_keys);
  EXPECT_EQ(detail["tables"][1]["objects_written"], 4);
  EXPECT_EQ(detail["tables"][1]["objects_skipped"], 0);
  EXPECT_NE(run.out().find("  actions   4 corporate-action objects written, 0 skipped"),
            std::string::npos)
      << run.out();
  EXPECT_NE(run.out().find("3 total: 2 ok, 1 empty, 0 failed"), std::string::npos) << run.out();
  EXPECT_NE(run.out().find("  actions   1 dropped as invalid (1 negative): not written"),
            std::string::npos)
      << run.out();

  // A new batch over the same data finds both tables' objects in place.
  Subprocess again(runArgs("e2e-actions-2"), dir_.path(), "again");
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  const LakeListing after = listLake(dir_.path() / "lake");
  EXPECT_EQ(after.action_objects, expected);
  EXPECT_EQ(after.objects, lake.objects);
  const auto both = readEvents(dir_.path() / "state");
  ASSERT_EQ(both.size(), 2u);
  const auto& second = both[1]["detail"];
  EXPECT_EQ(second["objects_written"], 0);
  EXPECT_EQ(second["objects_skipped"], 49 + 17);
  ASSERT_EQ(second["tables"].size(), 2u);
  EXPECT_EQ(second["tables"][1]["objects_written"], 0);
  EXPECT_EQ(second["tables"][1]["objects_skipped"], 4);
  EXPECT_NE(again.out().find("  actions   0 corporate-action objects written, 4 skipped"),
            std::string::npos)
      << again.out();
}

TEST_F(CorporateActionsE2eTest, ADomainWithoutTheTableWritesNoActions) {
  config_ = writeConfig(dir_.path(), "corporate_actions = false\n");
  Subprocess run(runArgs("e2e-no-actions"), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();
  const LakeListing lake = listLake(dir_.path() / "lake");
  EXPECT_TRUE(lake.action_objects.empty());
  EXPECT_TRUE(lake.action_manifests.empty());
  EXPECT_EQ(static_cast<int>(lake.objects.size()), 49 + 17);
  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["tables"].size(), 1u);
}

}  // namespace
}  // namespace rawfeed::e2e
