#include "lambda/sqs_event.h"

#include <gtest/gtest.h>

namespace rawfeed::lambda {
namespace {

TEST(SqsEventTest, RecordsBecomeReceivedMessages) {
  const auto messages = parseSqsEvent(R"({"Records":[
    {"messageId":"m-1","receiptHandle":"rh-1","body":"{\"chunk\":1}",
     "attributes":{"ApproximateReceiveCount":"3","SentTimestamp":"1700000000123",
                   "SenderId":"AIDA","ApproximateFirstReceiveTimestamp":"1700000000200"},
     "messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs",
     "eventSourceARN":"arn:aws:sqs:eu-west-1:1:q","awsRegion":"eu-west-1"},
    {"messageId":"m-2","receiptHandle":"rh-2","body":"poison"}]})");
  ASSERT_TRUE(messages.ok()) << messages.error().describe();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].message_id, "m-1");
  EXPECT_EQ((*messages)[0].receipt_handle, "rh-1");
  EXPECT_EQ((*messages)[0].body, "{\"chunk\":1}");
  EXPECT_EQ((*messages)[0].receive_count, 3);
  EXPECT_EQ((*messages)[0].sent_at.time_since_epoch(), std::chrono::milliseconds(1700000000123));
  EXPECT_EQ((*messages)[1].body, "poison") << "a poison body is the worker's to judge";
  EXPECT_EQ((*messages)[1].receive_count, 1);
}

TEST(SqsEventTest, AnEventThatIsNotAnSqsEventSaysWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "the payload is not JSON"},
      {"[]", "the payload is not a JSON object"},
      {R"({"source":"aws.events","detail":{}})", "no \"Records\" array"},
      {R"({"Records":[]})", "\"Records\" is empty"},
      {R"({"Records":[1]})", "Records[0] is not an object"},
      {R"({"Records":[{"receiptHandle":"r","body":"b"}]})", "Records[0].messageId is missing"},
      {R"({"Records":[{"messageId":"m","receiptHandle":"r","body":"b"},
                      {"messageId":"m2","body":"b"}]})",
       "Records[1].receiptHandle is missing"},
      {R"({"Records":[{"messageId":"m","receiptHandle":"r","body":7}]})",
       "Records[0].body is missing or not a string"},
      {R"({"Records":[{"messageId":"m","receiptHandle":"r","body":"b",
                       "attributes":{"ApproximateReceiveCount":"zero"}}]})",
       "Records[0].attributes.ApproximateReceiveCount is not a positive number"},
  };
  for (const auto& [event, expected] : cases) {
    const auto parsed = parseSqsEvent(event);
    ASSERT_FALSE(parsed.ok()) << event;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_NE(parsed.error().message.find("not an SQS event: " + expected), std::string::npos)
        << parsed.error().message;
  }
}

// A SentTimestamp beyond what the clock's nanoseconds hold overflowed the conversion (undefined
// behaviour; found with fuzz/targets/sqs_json.cpp's siblings). It reads as unknown, like an
// unreadable one, and the record is still delivered.
TEST(SqsEventTest, ASentTimestampBeyondTheClockReadsAsUnknown) {
  const auto messages = parseSqsEvent(R"({"Records":[
    {"messageId":"m-1","receiptHandle":"rh-1","body":"b",
     "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"9223372036854775807"}},
    {"messageId":"m-2","receiptHandle":"rh-2","body":"b",
     "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"-9223372036854775807"}}]})");
  ASSERT_TRUE(messages.ok()) << messages.error().describe();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].sent_at, core::SystemTime{});
  EXPECT_EQ((*messages)[1].sent_at, core::SystemTime{});
}

TEST(SqsEventTest, BatchItemFailuresNameEachFailedMessageOnce) {
  EXPECT_EQ(batchItemFailures({}), R"({"batchItemFailures":[]})");
  EXPECT_EQ(batchItemFailures({"m-2", "m-1", "m-2"}),
            R"({"batchItemFailures":[{"itemIdentifier":"m-2"},{"itemIdentifier":"m-1"}]})");
}

}  // namespace
}  // namespace rawfeed::lambda
