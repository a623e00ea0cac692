// `rawfeed run` as a process with `events = "eventbridge://BUS"`: the source a replay server, the
// lake and queue local, the completion event put on EventBridge (moto behind the SigV4-verifying
// proxy) whose rule forwards it to an SQS queue that the AWS CLI reads. Then the same with the
// bus missing: the run keeps the event in its outbox and says so, and a later `rawfeed work`
// delivers it once the bus exists.
#include <gtest/gtest.h>

#include "integration/e2e/e2e_support.h"
#include "integration/events/moto_event_route.h"

namespace rawfeed::events_it {
namespace {

class EventsRunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    servers_ = integration::testServers(&error_);
    ASSERT_NE(servers_, nullptr) << error_;
    ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();
    e2e::serveFixture(replay_, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
    e2e::serveFixture(replay_, "1301.T", "1301.T_1d_1mo_2024-11.json");
    replay_.start();
    bus_ = "rawfeed-" + dir_.path().filename().string().substr(13);
    config_ = e2e::writeConfig(dir_.path(), "events = \"eventbridge://" + bus_ + "\"\n");
  }

  // `rawfeed COMMAND` with the moto environment and the events endpoint pointed at its proxy.
  e2e::Subprocess rawfeed(const std::vector<std::string>& args, const std::string& name) {
    std::vector<std::string> argv = {"/usr/bin/env", "-i"};
    for (const auto& variable : motoEnvironment(*servers_))
      argv.push_back(variable);
    argv.push_back("AWS_ENDPOINT_URL_EVENTS=" + servers_->moto.proxy_url);
    argv.push_back(RAWFEED_BIN);
    argv.insert(argv.end(), args.begin(), args.end());
    return e2e::Subprocess(argv, dir_.path(), name);
  }
  e2e::Subprocess run(const std::string& batch_id, const std::string& name) {
    return rawfeed({"run", "--config", config_.string(), "--symbols", "AAPL,1301.T,GONE",
                    "--source-url", replay_.baseUrl(), "--batch-id", batch_id, "--batch-ds",
                    "2024-01-02", "--period", "5y", "--no-progress"},
                   name);
  }

  std::string error_;
  const integration::TestServers* servers_ = nullptr;
  contract::TempDir dir_;
  testing::ReplayServer replay_;
  std::string bus_;
  fs::path config_;
};

TEST_F(EventsRunE2eTest, ExactlyOneCompletionEventReachesTheBusesTarget) {
  const auto route = createRoute(*servers_, bus_, dir_.path());
  auto process = run("events-e2e-1", "run");
  ASSERT_EQ(process.wait(), 0) << process.out() << process.err();
  EXPECT_NE(process.out().find("events    all delivered to eventbridge://" + bus_),
            std::string::npos)
      << process.out();

  const auto received = drainQueue(*servers_, route.queue_url, dir_.path());
  ASSERT_EQ(received.size(), 1u);
  const auto& detail = received[0]["detail"];
  EXPECT_EQ(received[0]["source"], "rawfeed");
  EXPECT_EQ(received[0]["detail-type"], "Extract Batch Completed");
  EXPECT_EQ(detail["batch_id"], "events-e2e-1");
  EXPECT_EQ(detail["objects_written"], 72);
  EXPECT_EQ(detail["objects_skipped"], 0);
  ASSERT_EQ(detail["failed_symbols"].size(), 1u);
  EXPECT_EQ(detail["failed_symbols"][0]["symbol"], "GONE");
  EXPECT_EQ(detail["status"], "partial");
  // The local log keeps the same event (the outbox it was delivered from).
  const auto logged = e2e::readEvents(dir_.path() / "state");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0]["detail"], detail);

  // A re-run of the finished batch publishes nothing new.
  auto again = run("events-e2e-1", "again");
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_TRUE(drainQueue(*servers_, route.queue_url, dir_.path()).empty());
}

TEST_F(EventsRunE2eTest, AnEventTheBusCouldNotTakeIsDeliveredByTheNextProcess) {
  auto route = createRoute(*servers_, bus_, dir_.path(), /*with_bus=*/false);
  auto process = run("events-e2e-2", "run");
  EXPECT_EQ(process.wait(), 4) << process.out() << process.err();
  EXPECT_NE(process.out().find("1 completion event(s) not delivered to eventbridge://" + bus_),
            std::string::npos)
      << process.out();
  EXPECT_NE(process.out().find("does not exist"), std::string::npos) << process.out();
  ASSERT_EQ(e2e::readEvents(dir_.path() / "state").size(), 1u) << "kept in the outbox";

  auto status = rawfeed({"status", "--config", config_.string()}, "status");
  ASSERT_EQ(status.wait(), 0) << status.out() << status.err();
  EXPECT_NE(status.out().find("events to eventbridge://" + bus_ + ": 1 pending delivery"),
            std::string::npos)
      << status.out();

  createBusRoute(*servers_, route, dir_.path());
  auto work = rawfeed({"work", "--config", config_.string(), "--no-progress"}, "work");
  ASSERT_EQ(work.wait(), 0) << work.out() << work.err();
  const auto received = drainQueue(*servers_, route.queue_url, dir_.path());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["detail"]["batch_id"], "events-e2e-2");
  EXPECT_EQ(received[0]["detail"]["objects_written"], 72);

  auto again = rawfeed({"work", "--config", config_.string(), "--no-progress"}, "again");
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_TRUE(drainQueue(*servers_, route.queue_url, dir_.path()).empty()) << "delivered once";
}

}  // namespace
}  // namespace rawfeed::events_it
