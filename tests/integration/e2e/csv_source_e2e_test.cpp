// `rawfeed run` as a process on a domain whose data_source is "csv_http", against the replay
// server serving CSV bodies: the second source end to end, chosen by the config alone.
#include <gtest/gtest.h>

#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

constexpr const char* kHeader = "date,open,high,low,close,adj_close,volume\n";
const std::string kPartition = "customer-data/prices/interval=1d/data_source=csv_http/year=2024/";

class CsvSourceE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.csvRegistry().put(
        "AAPL", testing::csvResponse(std::string(kHeader) + "2024-01-02,187.15,188.44,183.89,"
                                                            "185.64,185.4,82488700\n"
                                                            "2024-01-03,184.22,185.88,183.43,"
                                                            "184.25,184.0,58414500\n"
                                                            "2024-01-04,182.15,183.08,180.88,"
                                                            "181.91,181.7,71983600\n"
                                                            "2024-01-05,181.99,oops,180.17,"
                                                            "181.18,181.0,62303300\n"));
    server_.csvRegistry().put(
        "BRK.B", testing::csvResponse(std::string(kHeader) + "2024-01-02,362.4,365.0,361.0,"
                                                             "364.2,364.2,3541000\n"
                                                             "2024-01-03,,,,,,\n"));
    server_.csvRegistry().put("EMPTY", testing::csvResponse(kHeader));
    server_.start();
    config_ = writeConfig(dir_.path(), "data_source = \"csv_http\"\n");
  }

  std::vector<std::string> runArgs(const std::string& batch_id) {
    return {RAWFEED_BIN,    "run",
            "--config",     config_.string(),
            "--symbols",    "AAPL,brk.b,EMPTY,NOPE,ABR$D",
            "--source-url", server_.csvBaseUrl(),
            "--batch-id",   batch_id,
            "--batch-ds",   "2024-02-01",
            "--start",      "2024-01-02",
            "--end",        "2024-01-05",
            "--no-progress"};
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

TEST_F(CsvSourceE2eTest, LandsTheBarsOfACsvSourceWithManifestAndEvent) {
  Subprocess run(runArgs("csv-batch-1"), dir_.path(), "run");
  ASSERT_EQ(run.wait(), 0) << run.out() << run.err();

  // One request per symbol for the backfill's days, in the source's own URL.
  auto requests = server_.csvRequests();
  std::sort(requests.begin(), requests.end());
  EXPECT_EQ(requests, (std::vector<std::string>{"/csv/AAPL.csv?start=2024-01-02&end=2024-01-05",
                                                "/csv/BRK.B.csv?start=2024-01-02&end=2024-01-05",
                                                "/csv/EMPTY.csv?start=2024-01-02&end=2024-01-05",
                                                "/csv/NOPE.csv?start=2024-01-02&end=2024-01-05"}));

  const LakeListing lake = listLake(dir_.path() / "lake");
  EXPECT_TRUE(lake.temporaries.empty());
  std::vector<std::string> keys;
  for (const auto& [key, bytes] : lake.objects)
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{kPartition + "month=01/day=02/AAPL.json",
                                            kPartition + "month=01/day=02/BRK.B.json",
                                            kPartition + "month=01/day=03/AAPL.json",
                                            kPartition + "month=01/day=04/AAPL.json"}));
  const auto record =
      nlohmann::json::parse(lake.objects.at(kPartition + "month=01/day=03/AAPL.json"));
  EXPECT_EQ(record["symbol"], "AAPL");
  EXPECT_EQ(record["timestamp"], "2024-01-03T00:00:00Z");
  EXPECT_EQ(record["close"], 184.25);
  EXPECT_EQ(record["adjusted_close"], 184.0);
  EXPECT_EQ(record["volume"], 58414500);

  // The manifest counts the bad line as an invalid bar rather than dropping it unseen.
  int listed = 0;
  bool reported = false;
  for (const auto& [key, bytes] : lake.manifests) {
    const auto manifest = nlohmann::json::parse(bytes);
    EXPECT_EQ(manifest["data_source"], "csv_http") << key;
    listed += static_cast<int>(manifest["objects"].size());
    if (manifest.contains("invalid_bars")) {
      EXPECT_EQ(manifest["invalid_bars"],
                nlohmann::json::parse(R"([{"symbol":"AAPL","reason":"not_a_number","bars":1}])"));
      reported = true;
    }
  }
  EXPECT_EQ(listed, 4);
  EXPECT_TRUE(reported);

  const auto events = readEvents(dir_.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  const auto& detail = events[0]["detail"];
  EXPECT_EQ(detail["objects_written"], 4);
  EXPECT_EQ(detail["status"], "partial");
  ASSERT_EQ(detail["failed_symbols"].size(), 1u);
  EXPECT_EQ(detail["failed_symbols"][0]["symbol"], "NOPE");
  EXPECT_EQ(detail["failed_symbols"][0]["outcome"], "not_found");

  // ABR$D is no symbol in csv_http's notation (no Yahoo mapping): rejected, never sent.
  const std::string summary = run.out();
  EXPECT_NE(summary.find("5 total: 2 ok, 1 empty, 1 failed, 1 rejected at validation"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("ABR$D"), std::string::npos) << summary;
}

TEST_F(CsvSourceE2eTest, AnIntervalTheSourceDoesNotServeIsAConfigError) {
  config_ = writeConfig(dir_.path(), "data_source = \"csv_http\"\ninterval = \"1h\"\n");
  Subprocess run({RAWFEED_BIN, "validate", "--config", config_.string()}, dir_.path(), "validate");
  EXPECT_EQ(run.wait(), 2);
  EXPECT_NE(run.err().find("domains.customer-data.interval: csv_http does not serve interval '1h'"),
            std::string::npos)
      << run.err();
}

TEST_F(CsvSourceE2eTest, AnUnknownDataSourceIsAConfigErrorNamingTheKnownOnes) {
  config_ = writeConfig(dir_.path(), "data_source = \"bloomberg\"\n");
  Subprocess run({RAWFEED_BIN, "validate", "--config", config_.string()}, dir_.path(), "validate");
  EXPECT_EQ(run.wait(), 2);
  EXPECT_NE(run.err().find("domains.customer-data.data_source: unknown data_source 'bloomberg' "
                           "(known: csv_http, yahoo_finance)"),
            std::string::npos)
      << run.err();
}

}  // namespace
}  // namespace rawfeed::e2e
