// The EventBridge sink against moto (bus → rule → SQS queue, read back with the AWS CLI) and the
// SQS sink against fauxqs, both behind the SigV4-verifying proxy, so the signature is checked for
// service "events" and "sqs" as AWS would.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/endpoints.h"
#include "contract/temp_dir.h"
#include "core/clock.h"
#include "core/random.h"
#include "events/eventbridge/eventbridge_event_sink.h"
#include "events/sqs/sqs_event_sink.h"
#include "http/curl/curl_http_client.h"
#include "integration/events/moto_event_route.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::events_it {
namespace {

std::string completionEvent(const std::string& batch_id) {
  nlohmann::ordered_json detail;
  detail["schema"] = "rawfeed.completion/1";
  detail["batch_id"] = batch_id;
  detail["batch_ds"] = "2026-11-26";
  detail["domain"] = "customer-data";
  detail["table_name"] = "prices";
  detail["interval"] = "1d";
  detail["data_source"] = "yahoo_finance";
  detail["manifest_keys"] = {
      "customer-data/prices/interval=1d/data_source=yahoo_finance/"
      "year=2026/month=11/day=25/_batch.manifest.json"};
  detail["objects_written"] = 35;
  detail["objects_skipped"] = 1;
  detail["failed_symbols"] = nlohmann::ordered_json::array(
      {{{"symbol", "GONE"}, {"outcome", "not_found"}, {"reason", "HTTP 404: \"no data\""}}});
  detail["status"] = "partial";
  nlohmann::ordered_json event;
  event["detail-type"] = "Extract Batch Completed";
  event["source"] = "rawfeed";
  event["detail"] = detail;
  return event.dump();
}

class AwsEventSinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    servers_ = integration::testServers(&error_);
    ASSERT_NE(servers_, nullptr) << error_;
  }
  void TearDown() override { http_.stop(); }

  std::string uniqueName(const std::string& stem) {
    return stem + "-" + dir_.path().filename().string().substr(13);
  }

  std::string error_;
  const integration::TestServers* servers_ = nullptr;
  contract::TempDir dir_;
  http::curl::CurlHttpClient http_;
  core::SystemRandom random_;
};

TEST_F(AwsEventSinksTest, EventBridgeDeliversTheExactDetailToTheRulesQueue) {
  const auto route = createRoute(*servers_, uniqueName("bus"), dir_.path());
  integration::StaticCredentials credentials(servers_->moto.access_key_id,
                                             servers_->moto.secret_access_key);
  events::eventbridge::EventBridgeSinkOptions options;
  options.endpoint = aws::parseEndpoint(servers_->moto.proxy_url).value();
  options.region = servers_->region;
  options.event_bus = route.bus;
  events::eventbridge::EventBridgeEventSink sink(options, http_, credentials, core::systemClock(),
                                                 random_);
  const std::string event = completionEvent("it-eventbridge-1");
  const auto published = sink.publish(event);
  ASSERT_TRUE(published.ok()) << published.error().describe();

  const auto received = drainQueue(*servers_, route.queue_url, dir_.path());
  ASSERT_EQ(received.size(), 1u);
  const auto& envelope = received[0];
  EXPECT_EQ(envelope["source"], "rawfeed");
  EXPECT_EQ(envelope["detail-type"], "Extract Batch Completed");
  EXPECT_EQ(envelope["detail"], nlohmann::json::parse(event)["detail"]) << envelope.dump();
}

TEST_F(AwsEventSinksTest, EventBridgeNamesAMissingBusAndABadSignature) {
  integration::StaticCredentials credentials(servers_->moto.access_key_id,
                                             servers_->moto.secret_access_key);
  events::eventbridge::EventBridgeSinkOptions options;
  options.endpoint = aws::parseEndpoint(servers_->moto.proxy_url).value();
  options.region = servers_->region;
  options.event_bus = uniqueName("no-such-bus");
  options.retry.max_retries = 0;
  events::eventbridge::EventBridgeEventSink sink(options, http_, credentials, core::systemClock(),
                                                 random_);
  const auto missing = sink.publish(completionEvent("it-missing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound) << missing.error().describe();
  EXPECT_NE(missing.error().message.find(options.event_bus), std::string::npos)
      << missing.error().message;

  integration::StaticCredentials wrong(servers_->moto.access_key_id, "not-the-secret");
  events::eventbridge::EventBridgeEventSink refused_sink(options, http_, wrong, core::systemClock(),
                                                         random_);
  const auto refused = refused_sink.publish(completionEvent("it-refused"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthenticated) << refused.error().describe();
  EXPECT_NE(refused.error().message.find("SignatureDoesNotMatch"), std::string::npos)
      << refused.error().message;
}

TEST_F(AwsEventSinksTest, SqsSinkSendsTheEventAsTheMessageBodyOnFauxqs) {
  integration::StaticCredentials credentials(servers_->fauxqs.access_key_id,
                                             servers_->fauxqs.secret_access_key);
  queue::sqs::SqsClientOptions client_options;
  client_options.target = {aws::parseEndpoint(servers_->fauxqs.proxy_url).value(),
                           servers_->region};
  queue::sqs::SqsClient client(client_options, http_, credentials, core::systemClock(), random_);
  const std::string name = uniqueName("events");
  auto url = queue::sqs::createQueue(client, name, {});
  ASSERT_TRUE(url.ok()) << url.error().describe();

  events::sqs::SqsSinkOptions options;
  options.queue_name = name;  // resolved with GetQueueUrl
  options.client = client_options;
  events::sqs::SqsEventSink sink(options, http_, credentials, core::systemClock(), random_);
  const std::string first = completionEvent("it-sqs-1");
  const std::string second = completionEvent("it-sqs-2");
  ASSERT_TRUE(sink.publish(first).ok());
  ASSERT_TRUE(sink.publish(second).ok());

  auto answer = client.call(
      "ReceiveMessage", {{"QueueUrl", *url}, {"MaxNumberOfMessages", 10}, {"WaitTimeSeconds", 1}});
  ASSERT_TRUE(answer.ok()) << answer.error().describe();
  std::vector<std::string> bodies;
  for (const auto& message : (*answer)["Messages"])
    bodies.push_back(message["Body"]);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(bodies, (std::vector<std::string>{first, second}));

  events::sqs::SqsSinkOptions missing_options = options;
  missing_options.queue_name = uniqueName("no-such-queue");
  events::sqs::SqsEventSink missing(missing_options, http_, credentials, core::systemClock(),
                                    random_);
  const auto status = missing.publish(first);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kNotFound) << status.error().describe();
  EXPECT_NE(status.error().message.find(missing_options.queue_name), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::events_it
