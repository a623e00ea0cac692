// kill -9 of `rawfeed work` mid-batch, then a fresh `rawfeed work`: every symbol lands exactly
// once, nothing half-written is visible, the manifest is complete and the event goes out once.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

constexpr int kCrashSymbols = 120;

TEST(CrashE2eTest, KilledWorkerLosesNothingAndDuplicatesNothing) {
  ASSERT_TRUE(testing::yahooFixturesPresent())
      << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
  contract::TempDir dir;
  testing::ReplayServer server;
  // Every symbol answers with a one-day Tokyo series (one object each).
  const auto tokyo =
      testing::loadYahooFixture(testing::yahooFixtureDir() / "1301.T_1d_1mo_2024-11.json");
  server.registry().setTemplate(tokyo.front().body);
  testing::ReplayFaults faults;
  faults.latency = std::chrono::milliseconds(150);
  server.setFaults(faults);
  server.start();

  std::ofstream universe(dir.path() / "universe.txt");
  for (int i = 0; i < kCrashSymbols; ++i)
    universe << "C" << i << "\n";
  universe.close();
  const fs::path config = writeConfig(dir.path(),
                                      "worker_timeout_seconds = 1\n"
                                      "worker_concurrency = 2\n"
                                      "messages_per_delivery = 2\n"
                                      "requests_in_flight = 4\n"
                                      "[domains.customer-data.queue]\n"
                                      "visibility_timeout_seconds = 2\n");
  const std::vector<std::string> common = {"--config", config.string(), "--source-url",
                                           server.baseUrl()};
  auto args = [&](std::vector<std::string> head) {
    head.insert(head.begin(), RAWFEED_BIN);
    head.insert(head.end(), common.begin(), common.end());
    return head;
  };

  Subprocess orchestrate(
      args({"orchestrate", "--universe", (dir.path() / "universe.txt").string(), "--batch-id",
            "crash-1", "--batch-ds", "2024-12-06", "--period", "1mo"}),
      dir.path(), "orchestrate");
  ASSERT_EQ(orchestrate.wait(), 0) << orchestrate.err();
  EXPECT_EQ(orchestrate.out(), "crash-1\n");

  const fs::path lake = dir.path() / "lake";
  {
    Subprocess victim(args({"work", "--no-progress"}), dir.path(), "victim");
    // Let it land part of the batch, then kill it without warning.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::size_t landed = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      landed = listLake(lake).objects.size();
      if (landed >= 100)
        break;  // 23 days per symbol: a few symbols in
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    victim.kill(SIGKILL);
    EXPECT_EQ(victim.wait(), 128 + SIGKILL);
    ASSERT_GE(landed, 100u) << "the worker made no progress: " << victim.err();
    ASSERT_LT(landed, static_cast<std::size_t>(kCrashSymbols) * 23u) << "killed too late to matter";
    EXPECT_TRUE(listLake(lake).manifests.empty());
  }

  Subprocess survivor(args({"work", "--no-progress"}), dir.path(), "survivor");
  ASSERT_EQ(survivor.wait(), 0) << survivor.out() << survivor.err();

  const LakeListing listing = listLake(lake);
  ASSERT_EQ(listing.objects.size(), static_cast<std::size_t>(kCrashSymbols) * 23u);
  std::set<std::string> symbols;
  for (const auto& [key, bytes] : listing.objects) {
    // Whole objects only: one complete JSON line, ending in a newline.
    ASSERT_FALSE(bytes.empty()) << key;
    EXPECT_EQ(bytes.back(), '\n') << key;
    auto record = nlohmann::json::parse(bytes, nullptr, false);
    ASSERT_FALSE(record.is_discarded()) << key << ": " << bytes;
    symbols.insert(record["symbol"]);
  }
  EXPECT_EQ(symbols.size(), static_cast<std::size_t>(kCrashSymbols));
  // Temporaries a killed writer left behind stay out of sight (never under a real key).
  for (const auto& temporary : listing.temporaries) {
    EXPECT_NE(temporary.find("/.tmp-"), std::string::npos) << temporary;
  }

  std::set<std::string> listed;
  std::size_t entries = 0;
  for (const auto& [key, bytes] : listing.manifests) {
    auto manifest = nlohmann::json::parse(bytes);
    EXPECT_EQ(manifest["batch_id"], "crash-1");
    EXPECT_TRUE(manifest["failed_symbols"].empty()) << bytes;
    for (const auto& object : manifest["objects"]) {
      listed.insert(object["key"].get<std::string>());
      ++entries;
    }
  }
  EXPECT_EQ(entries, listing.objects.size()) << "an object is listed twice or not at all";
  EXPECT_EQ(listed.size(), listing.objects.size());

  const auto events = readEvents(dir.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["status"], "complete");
  EXPECT_EQ(events[0]["detail"]["objects_written"].get<int>() +
                events[0]["detail"]["objects_skipped"].get<int>(),
            kCrashSymbols * 23);
}

}  // namespace
}  // namespace rawfeed::e2e
