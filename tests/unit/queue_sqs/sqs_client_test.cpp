#include "queue/sqs/sqs_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/queue_sqs/fake_sqs.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using testing::FakeSqs;

class SqsClientTest : public ::testing::Test {
 protected:
  SqsClient makeClient(int max_retries = 3) {
    SqsClientOptions options;
    options.target = SqsTarget{*aws::parseEndpoint("http://127.0.0.1:9324"), "us-east-1"};
    options.request_timeout = 2s;
    options.retry = RetryPolicy{max_retries, 100ms, 1000ms};
    return SqsClient(options, http_, credentials_, clock_, random_);
  }

  FakeSqs http_;
  fakes::StaticCredentials credentials_{testing::testCredentials()};
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(SqsClientTest, BackoffIsFullJitterUnderAnExponentialCeilingWithACap) {
  fakes::FixedRandom half(0.5);
  const RetryPolicy policy{5, 100ms, 1000ms};
  EXPECT_EQ(backoffDelay(policy, 1, half), 50ms);
  EXPECT_EQ(backoffDelay(policy, 2, half), 100ms);
  EXPECT_EQ(backoffDelay(policy, 3, half), 200ms);
  EXPECT_EQ(backoffDelay(policy, 5, half), 500ms);  // capped at 1000 ms
  EXPECT_EQ(backoffDelay(policy, 9, half), 500ms);
  fakes::FixedRandom zero(0.0);
  EXPECT_EQ(backoffDelay(policy, 3, zero), 0ms);
}

TEST_F(SqsClientTest, ThrottlingAndServerFaultsAreRetriedWithBackoffHeldByNotBefore) {
  http_.on("PurgeQueue", 400, {{"__type", "ThrottlingException"}});
  http_.on("PurgeQueue", 500, {{"__type", "InternalError"}});
  http_.on("PurgeQueue", 200, nullptr);
  auto client = makeClient();
  auto answer = client.call("PurgeQueue", {{"QueueUrl", "q"}});
  ASSERT_TRUE(answer.ok()) << answer.error().describe();
  EXPECT_TRUE(answer->empty());  // an empty 200 reads as {}
  const auto calls = http_.calls();
  ASSERT_EQ(calls.size(), 3u);
  const core::SteadyTime start = clock_.steadyNow();
  EXPECT_EQ(calls[0].request.not_before, start);
  EXPECT_EQ(calls[1].request.not_before, start + 50ms);   // 0.5 x 100 ms
  EXPECT_EQ(calls[2].request.not_before, start + 100ms);  // 0.5 x 200 ms
  EXPECT_EQ(calls[0].request.timeout, 2s);
  // Each attempt is signed afresh (same body, same target).
  EXPECT_EQ(calls[2].body, calls[0].body);
}

TEST_F(SqsClientTest, GivesUpAfterMaxRetriesWithTheLastError) {
  for (int i = 0; i < 3; ++i)
    http_.on("PurgeQueue", 503, nullptr);
  auto client = makeClient(2);
  auto answer = client.call("PurgeQueue", {{"QueueUrl", "q"}});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(http_.calls().size(), 3u);
}

TEST_F(SqsClientTest, TransportFailuresAreRetriedButRefusalsAreNot) {
  http_.onFailure("GetQueueUrl", ErrorCode::kTransient, "connection reset");
  http_.on("GetQueueUrl", 400, {{"__type", "com.amazonaws.sqs#QueueDoesNotExist"}});
  auto client = makeClient();
  auto answer = client.call("GetQueueUrl", {{"QueueName", "nope"}});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(http_.calls().size(), 2u);
}

TEST_F(SqsClientTest, NoRetryWhenTheCallerSaysSo) {
  http_.on("StartMessageMoveTask", 500, nullptr);
  auto client = makeClient();
  auto answer = client.call("StartMessageMoveTask", {}, CallOptions{0ms, false, 0ms});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kTransient);
  EXPECT_EQ(http_.calls().size(), 1u);
}

TEST_F(SqsClientTest, ALongPollsWaitIsAddedToTheTimeoutAndADelayToTheStart) {
  http_.on("ReceiveMessage", 200, nlohmann::json::object());
  auto client = makeClient();
  ASSERT_TRUE(client.call("ReceiveMessage", {}, CallOptions{20s, true, 500ms}).ok());
  const auto calls = http_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].request.timeout, 22s);
  EXPECT_EQ(calls[0].request.not_before, clock_.steadyNow() + 500ms);
}

TEST_F(SqsClientTest, ATwoHundredThatIsNotJsonIsAPermanentError) {
  // What fauxqs answers when a JSON call is posted to the queue's path: S3 XML with 200.
  http_.onRaw("SendMessageBatch", 200, "<?xml version=\"1.0\"?><ListBucketResult/>");
  auto client = makeClient();
  auto answer = client.call("SendMessageBatch", {});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kPermanent);
  EXPECT_NE(answer.error().message.find("JSON protocol"), std::string::npos);
}

TEST_F(SqsClientTest, CredentialFailuresComeBackAsTheyAreWithoutARequest) {
  fakes::StaticCredentials none;
  none.failWith(core::makeError(ErrorCode::kUnauthenticated, "no credentials in the environment"));
  SqsClientOptions options;
  options.target = SqsTarget{*aws::parseEndpoint("http://127.0.0.1:9324"), "us-east-1"};
  SqsClient client(options, http_, none, clock_, random_);
  auto answer = client.call("PurgeQueue", {});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(http_.calls().empty());
}

TEST_F(SqsClientTest, TransportErrorsNameTheAction) {
  for (int i = 0; i < 4; ++i)
    http_.onFailure("PurgeQueue", ErrorCode::kTransient, "timed out");
  auto client = makeClient();
  auto answer = client.call("PurgeQueue", {});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().message, "SQS PurgeQueue: timed out");
}

}  // namespace
}  // namespace rawfeed::queue::sqs
