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

// A batch of kCrashSymbols symbols (23 one-record days each) orchestrated onto the queue, for a
// `rawfeed work` to be killed in and another to finish.
class CrashE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    server_.registry().setTemplate(tokyoMonthTemplate());
    testing::ReplayFaults faults;
    faults.latency = std::chrono::milliseconds(150);
    server_.setFaults(faults);
    server_.start();

    std::ofstream universe(dir_.path() / "universe.txt");
    for (int i = 0; i < kCrashSymbols; ++i)
      universe << "C" << i << "\n";
    universe.close();
    config_ = writeConfig(dir_.path(),
                          "worker_timeout_seconds = 1\n"
                          "worker_concurrency = 2\n"
                          "messages_per_delivery = 2\n"
                          "requests_in_flight = 4\n"
                          "[domains.customer-data.queue]\n"
                          "visibility_timeout_seconds = 2\n");
    Subprocess orchestrate(
        args({"orchestrate", "--universe", (dir_.path() / "universe.txt").string(), "--batch-id",
              "crash-1", "--batch-ds", "2024-12-06", "--period", "1mo"}),
        dir_.path(), "orchestrate");
    ASSERT_EQ(orchestrate.wait(), 0) << orchestrate.err();
    EXPECT_EQ(orchestrate.out(), "crash-1\n");
  }

  // rawfeed with `head` and the common flags; `environment` ("NAME=value") through env(1).
  std::vector<std::string> args(std::vector<std::string> head,
                                const std::vector<std::string>& environment = {}) const {
    head.insert(head.begin(), RAWFEED_BIN);
    if (!environment.empty()) {
      head.insert(head.begin(), environment.begin(), environment.end());
      head.insert(head.begin(), "/usr/bin/env");
    }
    for (const std::string& flag : {std::string("--config"), config_.string(),
                                    std::string("--source-url"), server_.baseUrl()})
      head.push_back(flag);
    return head;
  }

  // A fresh `rawfeed work` finishes the batch; then every symbol is in the lake exactly once,
  // whole, listed once in the manifests, and the event went out once.
  void finishAndExpectEverythingOnce() {
    Subprocess survivor(args({"work", "--no-progress"}), dir_.path(), "survivor");
    ASSERT_EQ(survivor.wait(), 0) << survivor.out() << survivor.err();

    const LakeListing listing = listLake(lake());
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

    const auto events = readEvents(dir_.path() / "state");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["detail"]["status"], "complete");
    EXPECT_EQ(events[0]["detail"]["objects_written"].get<int>() +
                  events[0]["detail"]["objects_skipped"].get<int>(),
              kCrashSymbols * 23);
  }

  fs::path lake() const { return dir_.path() / "lake"; }

  contract::TempDir dir_;
  testing::ReplayServer server_;
  fs::path config_;
};

TEST_F(CrashE2eTest, KilledWorkerLosesNothingAndDuplicatesNothing) {
  Subprocess victim(args({"work", "--no-progress"}), dir_.path(), "victim");
  // Let it land part of the batch, then kill it without warning.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t landed = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    landed = listLake(lake()).objects.size();
    if (landed >= 100)
      break;  // 23 days per symbol: a few symbols in
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  victim.kill(SIGKILL);
  EXPECT_EQ(victim.wait(), 128 + SIGKILL);
  ASSERT_GE(landed, 100u) << "the worker made no progress: " << victim.err();
  ASSERT_LT(landed, static_cast<std::size_t>(kCrashSymbols) * 23u) << "killed too late to matter";
  EXPECT_TRUE(listLake(lake()).manifests.empty());
  finishAndExpectEverythingOnce();
}

// Group durability's new window: a delivery's objects are written, fsynced and renamed into
// place, and the process dies before their directories are fsynced and before anything of the
// delivery is recorded or acknowledged. The objects are there but unrecorded; the redelivery
// finds them in place, flushes them and records them once.
TEST_F(CrashE2eTest, KilledBetweenTheObjectsAndTheirDirectorySyncLosesNothing) {
  // The third delivery to reach its flush dies there (two were recorded before it).
  Subprocess victim(args({"work", "--no-progress"}, {"RAWFEED_CRASH_AT=worker.before_flush@3"}),
                    dir_.path(), "victim");
  EXPECT_EQ(victim.wait(), 128 + SIGKILL) << victim.out() << victim.err();
  const std::size_t landed = listLake(lake()).objects.size();
  // Two recorded deliveries, the dying one and the other worker's: 2 chunks of 5 symbols × 23
  // days each at most.
  EXPECT_GT(landed, 0u);
  EXPECT_LE(landed, 4u * 2 * 5 * 23);
  EXPECT_TRUE(listLake(lake()).manifests.empty());
  finishAndExpectEverythingOnce();
}

}  // namespace
}  // namespace rawfeed::e2e
