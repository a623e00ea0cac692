// The lake outbox across hosts, as processes against S3 and SQS on fauxqs behind the
// SigV4-verifying proxy: host A runs a batch (lake on S3, so the tracker and the outbox are the
// lake) while the completion-event queue does not exist yet, then is lost with its state
// directory. Host B, with a fresh state directory, sees the pending event in `rawfeed status`
// and delivers it with `rawfeed work` once the queue exists: exactly one message, and a third
// host's pass sends nothing more.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

#include "aws/endpoints.h"
#include "core/clock.h"
#include "core/random.h"
#include "http/curl/curl_http_client.h"
#include "integration/aws_e2e/aws_support.h"
#include "integration/e2e/e2e_support.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::events_it {
namespace {

namespace fs = std::filesystem;

class LakeOutboxE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    servers_ = integration::testServers(&error_);
    ASSERT_NE(servers_, nullptr) << error_;
    ASSERT_TRUE(testing::yahooFixturesPresent()) << testing::yahooFixtureDir();
    e2e::serveFixture(replay_, "AAPL", "AAPL_1d_2020-08-31_2020-11-07_div_split.json");
    e2e::serveFixture(replay_, "1301.T", "1301.T_1d_1mo_2024-11.json");
    replay_.start();
    const std::string unique = dir_.path().filename().string().substr(13);
    events_queue_ = "outbox-events-" + unique;
    lake_ = "s3://" + servers_->bucket + "/outbox-" + unique;
    credentials_ = std::make_unique<integration::StaticCredentials>(
        servers_->fauxqs.access_key_id, servers_->fauxqs.secret_access_key);
    client_options_.target = {aws::parseEndpoint(servers_->fauxqs.proxy_url).value(),
                              servers_->region};
  }
  void TearDown() override { http_.stop(); }

  // One host's config: the shared lake, the events queue, the host's own state directory.
  fs::path hostConfig(const std::string& host) {
    const fs::path dir = dir_.path() / host;
    fs::create_directories(dir);
    const fs::path path = dir / "rawfeed.toml";
    std::ofstream out(path);
    out << "environment = \"e2e\"\n"
        << "[domains.customer-data]\n"
        << "symbols = [\"AAPL\"]\n"
        << "lake = \"" << lake_ << "\"\n"
        << "state_dir = \"" << (dir / "state").string() << "\"\n"
        << "events = \"sqs://" << events_queue_ << "\"\n";
    return path;
  }
  e2e::Subprocess rawfeed(const std::string& host, std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env", "-i"};
    for (const auto& variable : e2e::awsEnvironment(*servers_))
      argv.push_back(variable);
    argv.push_back(RAWFEED_BIN);
    argv.push_back(args.front());
    argv.push_back("--config");
    argv.push_back(hostConfig(host).string());
    argv.insert(argv.end(), args.begin() + 1, args.end());
    return e2e::Subprocess(argv, dir_.path() / host, args.front());
  }
  queue::sqs::SqsClient client() {
    return queue::sqs::SqsClient(client_options_, http_, *credentials_, core::systemClock(),
                                 random_);
  }
  // Every message on the events queue now (long-polled until a receive comes back empty).
  std::vector<nlohmann::json> drainEvents(const std::string& url) {
    auto sqs = client();
    std::vector<nlohmann::json> events;
    while (true) {
      auto answer = sqs.call("ReceiveMessage", {{"QueueUrl", url},
                                                {"MaxNumberOfMessages", 10},
                                                {"WaitTimeSeconds", 1},
                                                {"VisibilityTimeout", 300}});
      EXPECT_TRUE(answer.ok()) << answer.error().describe();
      if (!answer.ok() || !answer->contains("Messages") || (*answer)["Messages"].empty())
        return events;
      for (const auto& message : (*answer)["Messages"])
        events.push_back(nlohmann::json::parse(message["Body"].get<std::string>()));
    }
  }

  std::string error_;
  const integration::TestServers* servers_ = nullptr;
  contract::TempDir dir_;
  testing::ReplayServer replay_;
  std::string events_queue_;
  std::string lake_;
  queue::sqs::SqsClientOptions client_options_;
  http::curl::CurlHttpClient http_;
  core::SystemRandom random_;
  std::unique_ptr<integration::StaticCredentials> credentials_;
};

TEST_F(LakeOutboxE2eTest, AnEventPendingOnALostHostIsDeliveredOnceByAFreshHost) {
  // Host A: the batch lands, the events queue is missing, the event waits in the lake.
  auto run = rawfeed("host-a", {"run", "--symbols", "AAPL,1301.T,GONE", "--source-url",
                                replay_.baseUrl(), "--batch-id", "outbox-e2e-1", "--batch-ds",
                                "2024-01-02", "--period", "5y", "--no-progress"});
  EXPECT_EQ(run.wait(), 4) << run.out() << run.err();
  EXPECT_NE(run.out().find("1 completion event(s) not delivered to sqs://" + events_queue_),
            std::string::npos)
      << run.out();
  EXPECT_NE(run.out().find("/_rawfeed/events/sqs_" + events_queue_), std::string::npos)
      << "names the lake outbox: " << run.out();
  fs::remove_all(dir_.path() / "host-a");  // host A is gone for good

  // Host B, a fresh state directory: status finds the pending event in the lake.
  auto status = rawfeed("host-b", {"status"});
  ASSERT_EQ(status.wait(), 0) << status.out() << status.err();
  EXPECT_NE(status.out().find("events to sqs://" + events_queue_ + ": 1 pending delivery in " +
                              lake_ + "/_rawfeed/events/"),
            std::string::npos)
      << status.out();

  auto sqs = client();
  auto url = queue::sqs::createQueue(sqs, events_queue_, {});
  ASSERT_TRUE(url.ok()) << url.error().describe();
  auto work = rawfeed("host-b", {"work", "--no-progress"});
  ASSERT_EQ(work.wait(), 0) << work.out() << work.err();
  EXPECT_NE(work.out().find("events    all delivered to sqs://" + events_queue_), std::string::npos)
      << work.out();
  const auto received = drainEvents(*url);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["detail"]["batch_id"], "outbox-e2e-1");
  EXPECT_EQ(received[0]["detail"]["objects_written"], 72);
  EXPECT_EQ(received[0]["detail"]["status"], "partial");

  // Host C passes too, and B's status says nothing is pending: delivered once.
  auto again = rawfeed("host-c", {"work", "--no-progress"});
  ASSERT_EQ(again.wait(), 0) << again.out() << again.err();
  EXPECT_TRUE(drainEvents(*url).empty()) << "delivered exactly once";
  auto after = rawfeed("host-b", {"status"});
  ASSERT_EQ(after.wait(), 0) << after.out() << after.err();
  EXPECT_NE(after.out().find("events to sqs://" + events_queue_ + ": 0 pending delivery"),
            std::string::npos)
      << after.out();
}

}  // namespace
}  // namespace rawfeed::events_it
