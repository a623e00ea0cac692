#include "events/sqs/sqs_event_sink.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "aws/hashing.h"
#include "deploy/handler_operations.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/events/testing_support.h"

namespace rawfeed::events::sqs {
namespace {

using namespace std::chrono_literals;
using testing::completionEvent;
using testing::header;

constexpr const char* kUrl = "http://127.0.0.1:4566/000000000000/events";

class SqsSinkTest : public ::testing::Test {
 protected:
  SqsEventSink makeSink(std::string name, std::string url = {}) {
    SqsSinkOptions options;
    options.queue_name = std::move(name);
    options.queue_url = std::move(url);
    options.client.target = {aws::parseEndpoint("http://127.0.0.1:4566").value(), "us-east-1"};
    options.client.retry = core::RetryPolicy{2, 100ms, 1000ms};
    return SqsEventSink(options, http_, credentials_, clock_, random_);
  }

  fakes::FakeHttpClient http_;
  fakes::StaticCredentials credentials_;
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(SqsSinkTest, ResolvesTheQueueOnceThenSendsTheEventAsTheBody) {
  http_.answer(200, std::string(R"({"QueueUrl":")") + kUrl + R"("})")
      .answer(200, R"({"MessageId":"m-1","MD5OfMessageBody":"x"})")
      .answer(200, R"({"MessageId":"m-2","MD5OfMessageBody":"x"})");
  auto sink = makeSink("events");
  const std::string first = completionEvent("b-1");
  ASSERT_TRUE(sink.publish(first).ok());
  ASSERT_TRUE(sink.publish(completionEvent("b-2")).ok());

  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(header(requests[0], "X-Amz-Target"), "AmazonSQS.GetQueueUrl");
  EXPECT_EQ(nlohmann::json::parse(requests[0].body)["QueueName"], "events");
  EXPECT_EQ(header(requests[1], "X-Amz-Target"), "AmazonSQS.SendMessage");
  EXPECT_NE(header(requests[1], "Authorization").find("/us-east-1/sqs/aws4_request"),
            std::string::npos);
  const auto body = nlohmann::json::parse(requests[1].body);
  EXPECT_EQ(body["QueueUrl"], kUrl);
  EXPECT_EQ(body["MessageBody"], first);
  EXPECT_FALSE(body.contains("MessageGroupId"));
  EXPECT_EQ(header(requests[2], "X-Amz-Target"), "AmazonSQS.SendMessage");
}

TEST_F(SqsSinkTest, AFifoQueueGetsTheDomainAsGroupAndTheBodysDigestAsDeduplicationId) {
  http_.answer(200, R"({"MessageId":"m-1"})");
  auto sink = makeSink("", "http://127.0.0.1:4566/000000000000/events.fifo");
  const std::string event = completionEvent("b-1", "customer-data");
  ASSERT_TRUE(sink.publish(event).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u) << "a URL needs no GetQueueUrl";
  const auto body = nlohmann::json::parse(requests[0].body);
  EXPECT_EQ(body["MessageGroupId"], "customer-data");
  EXPECT_EQ(body["MessageDeduplicationId"], aws::sha256Hex(event));
}

TEST_F(SqsSinkTest, AMissingQueueIsNotFoundNamingIt) {
  http_.answer(400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified )"
                    R"(queue does not exist."})");
  auto sink = makeSink("nope");
  const auto status = sink.publish(completionEvent("b-1"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(status.error().message.find("'nope'"), std::string::npos) << status.error().message;
}

TEST_F(SqsSinkTest, ThrottlingIsRetriedByTheSqsClient) {
  http_.answer(400, R"({"__type":"com.amazonaws.sqs#RequestThrottled","message":"slow down"})")
      .answer(200, R"({"MessageId":"m-1"})");
  auto sink = makeSink("", kUrl);
  ASSERT_TRUE(sink.publish(completionEvent("b-1")).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].not_before - clock_.steadyNow(), 50ms);
}

TEST(SqsSinkOperationsTest, NamesTheIamActionsItNeeds) {
  std::vector<std::string> actions;
  for (const auto& operation : SqsEventSink::operations()) {
    actions.emplace_back(operation.iam_action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"sqs:GetQueueUrl", "sqs:SendMessage"}));
  // The deploy module grants what the registry says a worker with this sink does.
  deploy::HandlerSetup setup;
  setup.events = deploy::HandlerSetup::Events::kSqs;
  setup.event_queue_named = true;  // sqs://NAME; with the queue's URL GetQueueUrl is never sent
  const auto uses = deploy::handlerOperations(deploy::Handler::kWorker, setup);
  EXPECT_EQ(deploy::iamActionsOn(uses, deploy::ResourceKind::kEventQueue),
            std::set<std::string>(actions.begin(), actions.end()));
}

}  // namespace
}  // namespace rawfeed::events::sqs
