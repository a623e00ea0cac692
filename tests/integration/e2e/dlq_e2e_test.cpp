// A symbol that keeps failing: its chunk is recorded as dead-lettered, the run says so in its
// exit status, `rawfeed dlq` explains it, and a redrive after the source recovers completes it.
#include <gtest/gtest.h>

#include "integration/e2e/e2e_support.h"

namespace rawfeed::e2e {
namespace {

TEST(DlqE2eTest, DeadLetteredChunkIsExplainedRedrivenAndCompleted) {
  ASSERT_TRUE(testing::yahooFixturesPresent())
      << "the recorded Yahoo responses are missing: " << testing::yahooFixtureDir();
  contract::TempDir dir;
  testing::ReplayServer server;
  serveFixture(server, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
  testing::ReplayResponse broken;
  broken.status = 503;
  broken.body = "upstream unavailable";
  server.registry().put("FLAKY", broken);
  server.start();
  const fs::path config = writeConfig(dir.path(),
                                      "chunk_size = 1\n"
                                      "[domains.customer-data.queue]\n"
                                      "max_receives = 2\n"
                                      "[domains.customer-data.source]\n"
                                      "max_retries = 1\n");
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), RAWFEED_BIN);
    args.insert(args.end(), {"--config", config.string()});
    return args;
  };

  Subprocess run(cli({"run", "--symbols", "AAPL,FLAKY", "--source-url", server.baseUrl(),
                      "--batch-id", "dlq-1", "--batch-ds", "2024-01-02", "--no-progress"}),
                 dir.path(), "run");
  EXPECT_EQ(run.wait(), 1) << run.out() << run.err();
  EXPECT_NE(run.out().find("1 dead-lettered messages"), std::string::npos) << run.out();
  EXPECT_NE(run.out().find("transient: "), std::string::npos) << run.out();
  auto events = readEvents(dir.path() / "state");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["detail"]["status"], "partial");
  EXPECT_EQ(events[0]["detail"]["objects_written"], 49);

  Subprocess list(cli({"dlq", "list", "--domain", "customer-data", "--error-class", "transient"}),
                  dir.path(), "list");
  ASSERT_EQ(list.wait(), 0) << list.err();
  EXPECT_NE(list.out().find("dlq-1"), std::string::npos) << list.out();
  EXPECT_NE(list.out().find("FLAKY"), std::string::npos) << list.out();
  EXPECT_NE(list.out().find("1 dead letters"), std::string::npos) << list.out();

  Subprocess none(cli({"dlq", "list", "--domain", "customer-data", "--symbol", "AAPL"}), dir.path(),
                  "none");
  ASSERT_EQ(none.wait(), 0);
  EXPECT_NE(none.out().find("0 dead letters"), std::string::npos) << none.out();

  Subprocess dry(cli({"dlq", "redrive", "--domain", "customer-data", "--dry-run"}), dir.path(),
                 "dry");
  ASSERT_EQ(dry.wait(), 0) << dry.err();
  EXPECT_NE(dry.out().find("would redrive 1 messages"), std::string::npos) << dry.out();

  // The source recovers; the redriven chunk lands and the batch is announced complete.
  testing::ReplayResponse recovered;
  recovered.body =
      testing::loadYahooFixture(testing::yahooFixtureDir() / "1301.T_1d_1mo_2024-11.json")
          .front()
          .body;
  server.registry().put("FLAKY", recovered);
  Subprocess redrive(cli({"dlq", "redrive", "--domain", "customer-data"}), dir.path(), "redrive");
  ASSERT_EQ(redrive.wait(), 0) << redrive.err();
  EXPECT_NE(redrive.out().find("redrove 1 messages"), std::string::npos) << redrive.out();
  Subprocess work(cli({"work", "--source-url", server.baseUrl(), "--no-progress"}), dir.path(),
                  "work");
  ASSERT_EQ(work.wait(), 0) << work.out() << work.err();

  events = readEvents(dir.path() / "state");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["detail"]["status"], "complete");
  EXPECT_EQ(events[1]["detail"]["objects_written"], 49 + 23);
  EXPECT_TRUE(events[1]["detail"]["failed_symbols"].empty());
  Subprocess empty(cli({"dlq", "list", "--domain", "customer-data"}), dir.path(), "empty");
  ASSERT_EQ(empty.wait(), 0);
  EXPECT_NE(empty.out().find("0 dead letters"), std::string::npos) << empty.out();
}

}  // namespace
}  // namespace rawfeed::e2e
