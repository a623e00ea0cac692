#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_message_actions.h"
#include "queue/sqs/sqs_queue_actions.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/queue_sqs/fake_sqs.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using nlohmann::json;

const std::string kUrl = "http://sqs.us-east-1.localhost:9324/000000000000/prices";

class SqsActionsTest : public ::testing::Test {
 protected:
  SqsActionsTest() : client_(options(), http_, credentials_, clock_, random_) {}
  static SqsClientOptions options() {
    SqsClientOptions options;
    options.target = SqsTarget{*aws::parseEndpoint("http://127.0.0.1:9324"), "us-east-1"};
    options.retry.max_retries = 0;
    return options;
  }
  json onlyBody(const std::string& action) {
    const auto calls = http_.calls(action);
    EXPECT_EQ(calls.size(), 1u);
    return calls.empty() ? json() : calls[0].body;
  }

  testing::FakeSqs http_;
  fakes::StaticCredentials credentials_{testing::testCredentials()};
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
  SqsClient client_;
};

TEST_F(SqsActionsTest, SendMessageBatchBodyAndPartialFailures) {
  http_.on("SendMessageBatch", 200,
           {{"Successful", {{{"Id", "b"}, {"MessageId", "id-b"}}}},
            {"Failed",
             {{{"Id", "a"},
               {"SenderFault", true},
               {"Code", "InvalidMessageContents"},
               {"Message", "bad character"}},
              {{"Id", "c"}, {"SenderFault", false}, {"Code", "InternalError"}}}}});
  const std::vector<OutgoingMessage> messages = {
      {"a", "body-a", 0s}, {"b", "body-b", 30s}, {"c", "body-c", 0s}};
  auto sent = sendMessageBatch(client_, kUrl, messages);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_EQ(sent->sent_ids, std::vector<std::string>{"b"});
  ASSERT_EQ(sent->failed.size(), 2u);
  EXPECT_EQ(sent->failed[0].id, "a");
  EXPECT_EQ(sent->failed[0].error.code, ErrorCode::kInvalidInput);
  EXPECT_NE(sent->failed[0].error.message.find("bad character"), std::string::npos);
  EXPECT_EQ(sent->failed[1].id, "c");
  EXPECT_EQ(sent->failed[1].error.code, ErrorCode::kTransient);

  json expected = {{"QueueUrl", kUrl}};
  expected["Entries"] = json::parse(R"([{"Id":"a","MessageBody":"body-a"},
                                        {"Id":"b","MessageBody":"body-b","DelaySeconds":30},
                                        {"Id":"c","MessageBody":"body-c"}])");
  EXPECT_EQ(onlyBody("SendMessageBatch"), expected);
}

TEST_F(SqsActionsTest, AnEntryTheAnswerForgetsIsReportedFailedNotAssumedSent) {
  http_.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "a"}}}}});
  const std::vector<OutgoingMessage> messages = {{"a", "x", 0s}, {"b", "y", 0s}};
  auto sent = sendMessageBatch(client_, kUrl, messages);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->sent_ids, std::vector<std::string>{"a"});
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_EQ(sent->failed[0].id, "b");
  EXPECT_EQ(sent->failed[0].error.code, ErrorCode::kTransient);
}

TEST_F(SqsActionsTest, ReceiveMessageAsksForCountAndSentTimeBothWays) {
  http_.on(
      "ReceiveMessage", 200,
      {{"Messages",
        {{{"MessageId", "m1"},
          {"ReceiptHandle", "rh1"},
          {"Body", "hello"},
          {"Attributes", {{"ApproximateReceiveCount", "3"}, {"SentTimestamp", "1700000000123"}}}},
         // A server sending numbers rather than strings is read the same way.
         {{"MessageId", "m2"},
          {"ReceiptHandle", "rh2"},
          {"Body", ""},
          {"Attributes", {{"ApproximateReceiveCount", 1}, {"SentTimestamp", 5}}}}}}});
  auto received = receiveMessage(client_, kUrl, ReceiveRequest{10, 20s, 45s});
  ASSERT_TRUE(received.ok()) << received.error().describe();
  ASSERT_EQ(received->size(), 2u);
  const auto& first = (*received)[0];
  EXPECT_EQ(first.message_id, "m1");
  EXPECT_EQ(first.receipt_handle, "rh1");
  EXPECT_EQ(first.body, "hello");
  EXPECT_EQ(first.receive_count, 3);
  EXPECT_EQ(first.sent_at, core::SystemTime(1700000000123ms));
  EXPECT_EQ((*received)[1].receive_count, 1);
  EXPECT_EQ((*received)[1].sent_at, core::SystemTime(5ms));

  const json body = onlyBody("ReceiveMessage");
  EXPECT_EQ(body["QueueUrl"], kUrl);
  EXPECT_EQ(body["MaxNumberOfMessages"], 10);
  EXPECT_EQ(body["WaitTimeSeconds"], 20);
  EXPECT_EQ(body["VisibilityTimeout"], 45);
  const json names = json::array({"ApproximateReceiveCount", "SentTimestamp"});
  EXPECT_EQ(body["MessageSystemAttributeNames"], names);
  EXPECT_EQ(body["AttributeNames"], names);
  EXPECT_EQ(http_.calls()[0].request.timeout, 10s + 20s);
}

// A SentTimestamp beyond what the clock's nanoseconds hold overflowed the conversion (undefined
// behaviour). It reads as unknown; the message itself is fine.
TEST_F(SqsActionsTest, ASentTimestampBeyondTheClockReadsAsUnknown) {
  http_.on("ReceiveMessage", 200,
           {{"Messages",
             {{{"MessageId", "m1"},
               {"ReceiptHandle", "rh1"},
               {"Body", "x"},
               {"Attributes",
                {{"ApproximateReceiveCount", "1"}, {"SentTimestamp", "9223372036854775807"}}}}}}});
  auto received = receiveMessage(client_, kUrl, ReceiveRequest{1, 0s, std::nullopt});
  ASSERT_TRUE(received.ok()) << received.error().describe();
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ((*received)[0].sent_at, core::SystemTime{});
}

// A receive count below 1 is no count SQS sends, and one beyond an int was read modulo 2^32
// (-2147483648 reached the worker's redelivery arithmetic); found writing
// fuzz/targets/sqs_json.cpp. The first is malformed, the second bounded as Lambda's event is.
TEST_F(SqsActionsTest, AReceiveCountBelowOneIsMalformedAndAHugeOneBounded) {
  for (const json& count : {json("0"), json(-3), json("-2147483648")}) {
    http_.on("ReceiveMessage", 200,
             {{"Messages",
               {{{"MessageId", "m1"},
                 {"ReceiptHandle", "rh1"},
                 {"Body", "x"},
                 {"Attributes", {{"ApproximateReceiveCount", count}}}}}}});
    auto received = receiveMessage(client_, kUrl, ReceiveRequest{1, 0s, std::nullopt});
    ASSERT_FALSE(received.ok()) << count;
    EXPECT_EQ(received.error().code, ErrorCode::kPermanent);
    EXPECT_NE(received.error().message.find("positive ApproximateReceiveCount"), std::string::npos);
  }
  http_.on("ReceiveMessage", 200,
           {{"Messages",
             {{{"MessageId", "m1"},
               {"ReceiptHandle", "rh1"},
               {"Body", "x"},
               {"Attributes", {{"ApproximateReceiveCount", "4294967297"}}}}}}});
  auto received = receiveMessage(client_, kUrl, ReceiveRequest{1, 0s, std::nullopt});
  ASSERT_TRUE(received.ok()) << received.error().describe();
  EXPECT_EQ((*received)[0].receive_count, 1 << 30);
}

TEST_F(SqsActionsTest, ReceiveWithoutVisibilityLeavesItToTheQueueAndEmptyAnswersAreEmpty) {
  http_.on("ReceiveMessage", 200, json::object());
  auto received = receiveMessage(client_, kUrl, ReceiveRequest{1, 0s, std::nullopt});
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
  EXPECT_FALSE(onlyBody("ReceiveMessage").contains("VisibilityTimeout"));
}

TEST_F(SqsActionsTest, AMessageWithoutAReceiveCountIsMalformedRatherThanGuessed) {
  http_.on("ReceiveMessage", 200,
           {{"Messages", {{{"MessageId", "m1"}, {"ReceiptHandle", "rh1"}, {"Body", "x"}}}}});
  auto received = receiveMessage(client_, kUrl, ReceiveRequest{1, 0s, std::nullopt});
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().code, ErrorCode::kPermanent);
  EXPECT_NE(received.error().message.find("ApproximateReceiveCount"), std::string::npos);
}

TEST_F(SqsActionsTest, DeleteMessageBatchUsesPositionsAsIdsAndNamesFailuresByHandle) {
  const std::string long_handle(400, 'h');  // receipt handles exceed the 80-character entry id
  http_.on("DeleteMessageBatch", 200,
           {{"Successful", {{{"Id", "0"}}}},
            {"Failed",
             {{{"Id", "1"},
               {"SenderFault", true},
               {"Code", "ReceiptHandleIsInvalid"},
               {"Message", "The input receipt handle is invalid."}}}}});
  const std::vector<std::string> handles = {long_handle, "bogus"};
  auto failed = deleteMessageBatch(client_, kUrl, handles);
  ASSERT_TRUE(failed.ok()) << failed.error().describe();
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].id, "bogus");
  EXPECT_EQ((*failed)[0].error.code, ErrorCode::kInvalidInput);
  json expected = {{"QueueUrl", kUrl}};
  expected["Entries"] = json::array(
      {{{"Id", "0"}, {"ReceiptHandle", long_handle}}, {{"Id", "1"}, {"ReceiptHandle", "bogus"}}});
  EXPECT_EQ(onlyBody("DeleteMessageBatch"), expected);
}

TEST_F(SqsActionsTest, AFailureNamingNoEntryOfTheRequestIsMalformed) {
  http_.on("DeleteMessageBatch", 200, {{"Failed", {{{"Id", "7"}, {"Code", "X"}}}}});
  const std::vector<std::string> handles = {"a"};
  auto failed = deleteMessageBatch(client_, kUrl, handles);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kPermanent);
}

TEST_F(SqsActionsTest, ChangeMessageVisibilityAndItsBatch) {
  http_.on("ChangeMessageVisibility", 200, nullptr);
  ASSERT_TRUE(changeMessageVisibility(client_, kUrl, "rh", 30s).ok());
  EXPECT_EQ(onlyBody("ChangeMessageVisibility"),
            (json{{"QueueUrl", kUrl}, {"ReceiptHandle", "rh"}, {"VisibilityTimeout", 30}}));

  http_.on("ChangeMessageVisibility", 400,
           {{"__type", "com.amazonaws.sqs#MessageNotInflight"}, {"message", "not in flight"}});
  auto refused = changeMessageVisibility(client_, kUrl, "rh", 0s);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);

  http_.on("ChangeMessageVisibilityBatch", 200, {{"Successful", {{{"Id", "0"}}, {{"Id", "1"}}}}});
  const std::vector<std::string> handles = {"r0", "r1"};
  auto failed = changeMessageVisibilityBatch(client_, kUrl, handles, 0s);
  ASSERT_TRUE(failed.ok());
  EXPECT_TRUE(failed->empty());
  EXPECT_EQ(onlyBody("ChangeMessageVisibilityBatch")["Entries"][1],
            (json{{"Id", "1"}, {"ReceiptHandle", "r1"}, {"VisibilityTimeout", 0}}));
}

TEST_F(SqsActionsTest, GetQueueAttributesReadsStringsAndOtherwise) {
  http_.on("GetQueueAttributes", 200,
           {{"Attributes",
             {{"ApproximateNumberOfMessages", "4"},
              {"ApproximateNumberOfMessagesNotVisible", 2},
              {"SqsManagedSseEnabled", true}}}});
  const std::string names[] = {kVisibleAttribute, kInFlightAttribute, kDelayedAttribute};
  auto attributes = getQueueAttributes(client_, kUrl, names);
  ASSERT_TRUE(attributes.ok());
  const auto counts = messageCounts(*attributes);
  EXPECT_EQ(counts.visible, 4);
  EXPECT_EQ(counts.in_flight, 2);
  EXPECT_EQ(counts.delayed, 0);
  EXPECT_EQ(attributes->at("SqsManagedSseEnabled"), "true");
  EXPECT_EQ(onlyBody("GetQueueAttributes")["AttributeNames"],
            json::array({"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                         "ApproximateNumberOfMessagesDelayed"}));
}

TEST_F(SqsActionsTest, QueueUrlCreateAndPurge) {
  http_.on("GetQueueUrl", 200, {{"QueueUrl", kUrl}});
  auto url = getQueueUrl(client_, "prices", "123456789012");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, kUrl);
  EXPECT_EQ(onlyBody("GetQueueUrl"),
            (json{{"QueueName", "prices"}, {"QueueOwnerAWSAccountId", "123456789012"}}));

  http_.on("CreateQueue", 200, {{"QueueUrl", kUrl}});
  ASSERT_TRUE(createQueue(client_, "prices", {{"VisibilityTimeout", "180"}}).ok());
  EXPECT_EQ(onlyBody("CreateQueue"),
            (json{{"QueueName", "prices"}, {"Attributes", {{"VisibilityTimeout", "180"}}}}));

  http_.on("PurgeQueue", 200, nullptr);
  ASSERT_TRUE(purgeQueue(client_, kUrl).ok());
  EXPECT_EQ(onlyBody("PurgeQueue"), (json{{"QueueUrl", kUrl}}));
}

TEST_F(SqsActionsTest, MessageMoveTasks) {
  http_.on("StartMessageMoveTask", 200, {{"TaskHandle", "task-1"}});
  auto handle =
      startMessageMoveTask(client_, "arn:aws:sqs:us-east-1:1:dlq", "arn:aws:sqs:us-east-1:1:q");
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(*handle, "task-1");
  EXPECT_EQ(onlyBody("StartMessageMoveTask"),
            (json{{"SourceArn", "arn:aws:sqs:us-east-1:1:dlq"},
                  {"DestinationArn", "arn:aws:sqs:us-east-1:1:q"}}));

  http_.on("ListMessageMoveTasks", 200,
           {{"Results",
             {{{"TaskHandle", "task-1"},
               {"Status", "COMPLETED"},
               {"ApproximateNumberOfMessagesMoved", 7},
               {"ApproximateNumberOfMessagesToMove", 7}}}}});
  auto tasks = listMessageMoveTasks(client_, "arn:aws:sqs:us-east-1:1:dlq");
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].status, "COMPLETED");
  EXPECT_EQ((*tasks)[0].moved, 7);
}

TEST(SqsAttributesTest, QueueArnsParseAndFormat) {
  auto arn = parseQueueArn("arn:aws:sqs:eu-west-1:123456789012:prices-dlq");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->region, "eu-west-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->name, "prices-dlq");
  EXPECT_EQ(formatQueueArn(*arn), "arn:aws:sqs:eu-west-1:123456789012:prices-dlq");
  EXPECT_FALSE(parseQueueArn("arn:aws:s3:::bucket"));
  EXPECT_FALSE(parseQueueArn("prices"));
  EXPECT_FALSE(parseQueueArn("arn:aws:sqs:eu-west-1:1:"));
}

TEST(SqsAttributesTest, RedrivePoliciesWithStringOrNumberCounts) {
  auto string_count =
      parseRedrivePolicy(R"({"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"5"})");
  ASSERT_TRUE(string_count);
  EXPECT_EQ(string_count->dead_letter_target_arn, "arn:aws:sqs:r:1:d");
  EXPECT_EQ(string_count->max_receive_count, 5);
  auto number_count =
      parseRedrivePolicy(R"({"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":3})");
  ASSERT_TRUE(number_count);
  EXPECT_EQ(number_count->max_receive_count, 3);
  EXPECT_FALSE(parseRedrivePolicy(R"({"maxReceiveCount":3})"));
  EXPECT_FALSE(parseRedrivePolicy(R"({"deadLetterTargetArn":"a","maxReceiveCount":"x"})"));
  EXPECT_FALSE(parseRedrivePolicy("not json"));
  EXPECT_EQ(formatRedrivePolicy({"arn:aws:sqs:r:1:d", 5}),
            R"({"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"5"})");
  // Beyond an int the count was read modulo 2^32: 2147483648 became -2147483648.
  EXPECT_FALSE(parseRedrivePolicy(
      R"({"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"2147483648"})"));
  EXPECT_EQ(parseRedrivePolicy(
                R"({"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":2147483647})")
                ->max_receive_count,
            2147483647);
}

// Counts from a broken answer overflowed total() (undefined behaviour) or went negative.
TEST(SqsAttributesTest, MessageCountsAreNeverNegativeAndAddUpWithoutOverflow) {
  const QueueAttributes attributes = {{kVisibleAttribute, "9223372036854775807"},
                                      {kInFlightAttribute, "9223372036854775807"},
                                      {kDelayedAttribute, "-5"}};
  const MessageCounts counts = messageCounts(attributes);
  EXPECT_EQ(counts.delayed, 0);
  EXPECT_GT(counts.total(), 0);
  EXPECT_EQ(counts.visible, std::int64_t{1} << 60);
  EXPECT_EQ(messageCounts({{kVisibleAttribute, "12"}}).total(), 12);
}

}  // namespace
}  // namespace rawfeed::queue::sqs
