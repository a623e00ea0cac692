// Storage that cannot be written (issue 10: `rawfeed run` hung forever on a full state disk):
// a lake or state directory that is a file ends the command at start, before anything is sent;
// a state disk that fills up mid-run ends it with exit 4 and one line, nothing lost, and the
// same batch id finishes once there is room.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

constexpr int kStorageSymbols = 200;

class StorageE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::yahooFixturesPresent())
        << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
    server_.registry().setTemplate(tokyoMonthTemplate());
    server_.start();
    std::ofstream universe(dir_.path() / "universe.txt");
    for (int i = 0; i < kStorageSymbols; ++i)
      universe << "S" << i << "\n";
  }

  std::vector<std::string> runArgs(const fs::path& config, const std::string& batch_id) {
    return {RAWFEED_BIN,     "run",
            "--config",      config.string(),
            "--universe",    (dir_.path() / "universe.txt").string(),
            "--source-url",  server_.baseUrl(),
            "--batch-id",    batch_id,
            "--batch-ds",    "2024-12-06",
            "--period",      "1mo",
            "--no-progress", "--no-probe"};
  }

  contract::TempDir dir_;
  testing::ReplayServer server_;
};

TEST_F(StorageE2eTest, ALakeOrStateDirectoryThatIsAFileStopsBeforeAnythingIsSent) {
  for (const char* which : {"lake", "state"}) {
    const fs::path file = dir_.path() / (std::string(which) + "-file");
    std::ofstream(file) << "not a directory\n";
    const fs::path config_dir = dir_.path() / which;
    fs::create_directories(config_dir);
    const fs::path config = config_dir / "rawfeed.toml";
    std::ofstream out(config);
    out << "environment = \"e2e\"\n[domains.customer-data]\nsymbols = [\"AAPL\"]\n"
        << "lake = \"" << (std::string(which) == "lake" ? file : config_dir / "lake").string()
        << "\"\nstate_dir = \""
        << (std::string(which) == "state" ? file : config_dir / "state").string() << "\"\n";
    out.close();
    Subprocess run(runArgs(config, std::string("file-") + which), dir_.path(), which);
    EXPECT_EQ(run.wait(), 4) << run.out() << run.err();
    const std::string expected = std::string(which) == "lake" ? "lake '" : "state directory '";
    EXPECT_NE(run.err().find(expected + file.string() + "' cannot be written: it is a file"),
              std::string::npos)
        << run.err();
  }
  EXPECT_EQ(server_.counters().requests, 0u);  // nothing went to the source
}

TEST_F(StorageE2eTest, AStateDiskThatFillsUpEndsTheRunWithExit4AndTheSameBatchFinishesLater) {
  const fs::path config = writeConfig(dir_.path(),
                                      "worker_concurrency = 2\n"
                                      "messages_per_delivery = 2\n"
                                      "chunk_size = 2\n"
                                      "worker_timeout_seconds = 2\n"
                                      "[domains.customer-data.queue]\n"
                                      "visibility_timeout_seconds = 2\n");
  {
    // Every file rawfeed writes stops growing at 96 KB: the queue's and the tracker's WAL reach
    // that early in the run, as a full disk would stop them.
    Subprocess run(runArgs(config, "full-1"), dir_.path(), "full", 400 * 1024);
    const auto started = std::chrono::steady_clock::now();
    const int status = run.wait();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(120));
    ASSERT_EQ(status, 4) << run.out() << run.err();
    EXPECT_NE(run.err().find("cannot be written"), std::string::npos) << run.err();
    EXPECT_NE(run.err().find("Nothing was lost"), std::string::npos) << run.err();
  }
  // Room again: the same batch id lands every symbol, each exactly once, and completes.
  Subprocess again(runArgs(config, "full-1"), dir_.path(), "again");
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_NE(again.out().find("complete"), std::string::npos) << again.out();
  const LakeListing lake = listLake(dir_.path() / "lake");
  EXPECT_TRUE(lake.temporaries.empty());
  std::set<std::string> symbols;
  for (const auto& [key, bytes] : lake.objects) {
    if (key.find("_batch.manifest") == std::string::npos)
      symbols.insert(key.substr(key.rfind('/') + 1));
  }
  EXPECT_EQ(symbols.size(), static_cast<std::size_t>(kStorageSymbols));
}

}  // namespace
}  // namespace rawfeed::e2e
