#include "queue/sqs/sqs_queue.h"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/queue_sqs/fake_sqs.h"

namespace rawfeed::queue::sqs {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using nlohmann::json;

const std::string kQueueUrl = "http://sqs.us-east-1.localhost:1/000000000000/prices";
const std::string kDlqUrl = "http://sqs.us-east-1.localhost:1/000000000000/prices-dlq";
const std::string kQueueArn = "arn:aws:sqs:us-east-1:000000000000:prices";
const std::string kDlqArn = "arn:aws:sqs:us-east-1:000000000000:prices-dlq";

json message(const std::string& id, const std::string& body, int count, std::int64_t sent_ms) {
  return {{"MessageId", id},
          {"ReceiptHandle", fmt::format("rh-{}", id)},
          {"Body", body},
          {"Attributes",
           {{"ApproximateReceiveCount", std::to_string(count)},
            {"SentTimestamp", std::to_string(sent_ms)}}}};
}

json counts(int visible, int in_flight = 0, int delayed = 0) {
  return {{"Attributes",
           {{"ApproximateNumberOfMessages", std::to_string(visible)},
            {"ApproximateNumberOfMessagesNotVisible", std::to_string(in_flight)},
            {"ApproximateNumberOfMessagesDelayed", std::to_string(delayed)}}}};
}

class SqsQueueTest : public ::testing::Test {
 protected:
  // Scripts what open() asks: the queue's URL and attributes, then the DLQ's.
  void scriptOpen() {
    http_.on("GetQueueUrl", 200, {{"QueueUrl", kQueueUrl}});
    http_.on("GetQueueAttributes", 200,
             {{"Attributes",
               {{"QueueArn", kQueueArn},
                {"RedrivePolicy",
                 json{{"deadLetterTargetArn", kDlqArn}, {"maxReceiveCount", "4"}}.dump()}}}});
    http_.on("GetQueueUrl", 200, {{"QueueUrl", kDlqUrl}});
    http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kDlqArn}}}});
  }

  std::unique_ptr<SqsQueue> open(SqsQueueOptions options = {}) {
    if (options.queue_url.empty())
      options.queue_name = "prices";
    options.region = "us-east-1";
    options.endpoint = "http://127.0.0.1:9324";
    options.max_retries = 0;
    scriptOpen();
    auto opened = SqsQueue::open(options, http_, credentials_, clock_, random_);
    EXPECT_TRUE(opened.ok()) << opened.error().describe();
    http_.clearCalls();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  testing::FakeSqs http_;
  fakes::StaticCredentials credentials_{testing::testCredentials()};
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(SqsQueueTest, OpenFindsTheDlqAndMaxReceivesInTheRedrivePolicy) {
  auto queue = open();
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->names().queue_url, kQueueUrl);
  EXPECT_EQ(queue->names().queue_arn, kQueueArn);
  EXPECT_EQ(queue->names().dlq_url, kDlqUrl);
  EXPECT_EQ(queue->names().dlq_arn, kDlqArn);
  EXPECT_EQ(queue->names().max_receives, 4);
}

TEST_F(SqsQueueTest, OpenSendsEveryCallToTheConfiguredEndpointWhateverHostTheUrlsName) {
  scriptOpen();
  SqsQueueOptions options;
  options.queue_name = "prices";
  options.region = "us-east-1";
  options.endpoint = "http://127.0.0.1:9324";
  ASSERT_TRUE(SqsQueue::open(options, http_, credentials_, clock_, random_).ok());
  const auto calls = http_.calls();
  ASSERT_EQ(calls.size(), 4u);
  for (const auto& call : calls)
    EXPECT_EQ(call.request.url, "http://127.0.0.1:9324/");
  EXPECT_EQ(calls[2].body,
            (json{{"QueueName", "prices-dlq"}, {"QueueOwnerAWSAccountId", "000000000000"}}));
  EXPECT_EQ(calls[3].body["QueueUrl"], kDlqUrl);
}

TEST_F(SqsQueueTest, OpenWithoutARedrivePolicyOrWithAMissingQueueSaysSo) {
  SqsQueueOptions options;
  options.queue_url = kQueueUrl;
  options.region = "us-east-1";
  options.endpoint = "http://127.0.0.1:9324";
  http_.on("GetQueueAttributes", 200, {{"Attributes", {{"QueueArn", kQueueArn}}}});
  auto opened = SqsQueue::open(options, http_, credentials_, clock_, random_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(opened.error().message.find("RedrivePolicy"), std::string::npos);

  options.queue_url.clear();
  options.queue_name = "nope";
  http_.on("GetQueueUrl", 400, {{"__type", "com.amazonaws.sqs#QueueDoesNotExist"}},
           {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}});
  opened = SqsQueue::open(options, http_, credentials_, clock_, random_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound);
  EXPECT_NE(opened.error().message.find("queue 'nope' does not exist"), std::string::npos)
      << opened.error().message;
}

TEST_F(SqsQueueTest, SendBatchChecksLocallyAndSplitsByTheRequestSizeLimit) {
  auto queue = open();
  ASSERT_TRUE(queue);
  const std::string big(200 * 1024, 'b');
  const std::vector<OutgoingMessage> batch = {{"one", big, 0s},
                                              {"toolong", std::string(256 * 1024 + 1, 'x'), 0s},
                                              {"two", big, 0s},
                                              {"late", "x", 901s},
                                              {"three", "small", 0s}};
  http_.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "one"}}}}});
  // SQS may answer entries in any order; the result keeps the caller's.
  http_.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "three"}}, {{"Id", "two"}}}}});
  auto sent = queue->sendBatch(batch);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_EQ(sent->sent_ids, (std::vector<std::string>{"one", "two", "three"}));
  ASSERT_EQ(sent->failed.size(), 2u);
  EXPECT_EQ(sent->failed[0].id, "toolong");
  EXPECT_EQ(sent->failed[1].id, "late");
  const auto calls = http_.calls("SendMessageBatch");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].body["Entries"].size(), 1u);
  EXPECT_EQ(calls[1].body["Entries"].size(), 2u);
  EXPECT_EQ(calls[0].body["QueueUrl"], kQueueUrl);
}

TEST_F(SqsQueueTest, SendBatchRefusedWholeBeforeAnyRequest) {
  auto queue = open();
  ASSERT_TRUE(queue);
  std::vector<OutgoingMessage> eleven;
  for (int i = 0; i < 11; ++i)
    eleven.push_back({fmt::format("m{}", i), "x", 0s});
  auto sent = queue->sendBatch(eleven);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidInput);
  const std::vector<OutgoingMessage> bad_id = {{"has space", "x", 0s}};
  EXPECT_FALSE(queue->sendBatch(bad_id).ok());
  EXPECT_TRUE(http_.calls().empty());
}

TEST_F(SqsQueueTest, ARequestThatFailsWholeFailsTheCall) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("SendMessageBatch", 403, {{"__type", "InvalidClientTokenId"}, {"message", "no"}});
  const std::vector<OutgoingMessage> batch = {{"a", "x", 0s}};
  auto sent = queue->sendBatch(batch);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(SqsQueueTest, ReceiveRoundsTheWaitUpToWholeSecondsAndAppliesTheDefaultVisibility) {
  SqsQueueOptions options;
  options.visibility_timeout = 90s;
  auto queue = open(options);
  ASSERT_TRUE(queue);
  http_.on("ReceiveMessage", 200, {{"Messages", {message("m1", "b", 1, 1000)}}});
  auto received = queue->receive(ReceiveOptions{3, 300ms, std::nullopt});
  ASSERT_TRUE(received.ok()) << received.error().describe();
  ASSERT_EQ(received->size(), 1u);
  const auto body = http_.calls("ReceiveMessage")[0].body;
  EXPECT_EQ(body["WaitTimeSeconds"], 1);
  EXPECT_EQ(body["MaxNumberOfMessages"], 3);
  EXPECT_EQ(body["VisibilityTimeout"], 90);

  auto bad = queue->receive(ReceiveOptions{1, 21s, std::nullopt});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(http_.calls("ReceiveMessage").size(), 1u);
}

TEST_F(SqsQueueTest, StatsAddUpTheDlqAndLeaveTheOldestAgeUnknown) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("GetQueueAttributes", 200, counts(5, 2, 1));
  http_.on("GetQueueAttributes", 200, counts(3, 1, 0));
  auto stats = queue->stats();
  ASSERT_TRUE(stats.ok()) << stats.error().describe();
  EXPECT_EQ(stats->visible, 5);
  EXPECT_EQ(stats->in_flight, 2);
  EXPECT_EQ(stats->delayed, 1);
  EXPECT_EQ(stats->dead_letters, 4);
  EXPECT_FALSE(stats->oldest_age_seconds.has_value());
  const auto calls = http_.calls("GetQueueAttributes");
  EXPECT_EQ(calls[0].body["QueueUrl"], kQueueUrl);
  EXPECT_EQ(calls[1].body["QueueUrl"], kDlqUrl);
}

TEST_F(SqsQueueTest, TheOldestAgeIsZeroOnlyForAnEmptyQueueAndNeverPeeked) {
  // Peeking (ReceiveMessage with VisibilityTimeout=0) would add to the receive count of the
  // message looked at, so stats() never receives: an empty queue is age 0, anything else unknown.
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("GetQueueAttributes", 200, counts(0, 0, 0));
  http_.on("GetQueueAttributes", 200, counts(2, 0, 0));
  http_.on("GetQueueAttributes", 200, counts(0, 1, 0));
  http_.on("GetQueueAttributes", 200, counts(0, 0, 0));
  auto empty = queue->stats();
  ASSERT_TRUE(empty.ok()) << empty.error().describe();
  ASSERT_TRUE(empty->oldest_age_seconds.has_value());
  EXPECT_EQ(*empty->oldest_age_seconds, 0.0);
  EXPECT_EQ(empty->dead_letters, 2);  // the DLQ's messages are no backlog of the queue
  auto in_flight = queue->stats();
  ASSERT_TRUE(in_flight.ok()) << in_flight.error().describe();
  EXPECT_FALSE(in_flight->oldest_age_seconds.has_value());
  EXPECT_TRUE(http_.calls("ReceiveMessage").empty());
}

TEST_F(SqsQueueTest, ListDeadLettersPeeksThenReleasesAndDiscountsItsOwnReceive) {
  SqsQueueOptions options;
  options.dlq_scan_visibility = 45s;
  auto queue = open(options);
  ASSERT_TRUE(queue);
  http_.on("GetQueueAttributes", 200, counts(2));
  http_.on("ReceiveMessage", 200,
           {{"Messages", {message("new", "b2", 5, 2000), message("old", "b1", 5, 1000)}}});
  http_.on("ChangeMessageVisibilityBatch", 200, json::object());
  auto letters = queue->listDeadLetters(10);
  ASSERT_TRUE(letters.ok()) << letters.error().describe();
  ASSERT_EQ(letters->size(), 2u);
  EXPECT_EQ((*letters)[0].message_id, "old");  // oldest first
  EXPECT_EQ((*letters)[0].receive_count, 4);   // 5 less this peek
  EXPECT_EQ((*letters)[0].sent_at, core::SystemTime(1000ms));
  EXPECT_EQ(http_.actions(), (std::vector<std::string>{"GetQueueAttributes", "ReceiveMessage",
                                                       "ChangeMessageVisibilityBatch"}));
  const auto receive = http_.calls("ReceiveMessage")[0].body;
  EXPECT_EQ(receive["QueueUrl"], kDlqUrl);
  EXPECT_EQ(receive["VisibilityTimeout"], 45);
  const auto release = http_.calls("ChangeMessageVisibilityBatch")[0].body;
  EXPECT_EQ(release["QueueUrl"], kDlqUrl);
  EXPECT_EQ(release["Entries"].size(), 2u);
  EXPECT_EQ(release["Entries"][0]["VisibilityTimeout"], 0);
}

TEST_F(SqsQueueTest, ListDeadLettersOfAnEmptyDlqCostsOneCall) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("GetQueueAttributes", 200, counts(0));
  auto letters = queue->listDeadLetters(10);
  ASSERT_TRUE(letters.ok());
  EXPECT_TRUE(letters->empty());
  EXPECT_EQ(http_.calls().size(), 1u);
}

TEST_F(SqsQueueTest, RedriveUsesAMessageMoveTaskAndWaitsForIt) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("StartMessageMoveTask", 200, {{"TaskHandle", "t1"}});
  http_.on(
      "ListMessageMoveTasks", 200,
      {{"Results",
        {{{"TaskHandle", "t1"}, {"Status", "RUNNING"}, {"ApproximateNumberOfMessagesMoved", 1}}}}});
  // Once it has ended SQS no longer names the task: the most recent one is ours.
  http_.on("ListMessageMoveTasks", 200,
           {{"Results",
             {{{"Status", "COMPLETED"}, {"ApproximateNumberOfMessagesMoved", 3}},
              {{"Status", "COMPLETED"}, {"ApproximateNumberOfMessagesMoved", 9}}}}});
  auto moved = queue->redrive({});
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  EXPECT_EQ(*moved, 3);
  const auto start = http_.calls("StartMessageMoveTask")[0].body;
  EXPECT_EQ(start, (json{{"SourceArn", kDlqArn}, {"DestinationArn", kQueueArn}}));
  const auto polls = http_.calls("ListMessageMoveTasks");
  ASSERT_EQ(polls.size(), 2u);
  // Polls are spaced by not_before, not by a sleeping thread.
  EXPECT_EQ(polls[0].request.not_before, clock_.steadyNow() + 500ms);
}

TEST_F(SqsQueueTest, AFailedMoveTaskIsReportedWithItsReason) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("StartMessageMoveTask", 200, {{"TaskHandle", "t1"}});
  http_.on("ListMessageMoveTasks", 200,
           {{"Results",
             {{{"Status", "FAILED"},
               {"ApproximateNumberOfMessagesMoved", 1},
               {"FailureReason", "AWS.SimpleQueueService.NonExistentQueue"}}}}});
  auto moved = queue->redrive({});
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, ErrorCode::kTransient);
  EXPECT_NE(moved.error().message.find("NonExistentQueue"), std::string::npos);
  EXPECT_TRUE(http_.calls("ReceiveMessage").empty()) << "a failed task is not a missing feature";
}

TEST_F(SqsQueueTest, RedriveFallsBackToReceiveSendDeleteWhereMoveTasksAreMissing) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("StartMessageMoveTask", 400,
           {{"__type", "com.amazon.coral.service#UnknownOperationException"}});
  http_.on("ReceiveMessage", 200,
           {{"Messages", {message("d1", "body-1", 4, 1000), message("d2", "body-2", 4, 1000)}}});
  http_.on("ReceiveMessage", 200, json::object());  // short poll: empty
  http_.on("ReceiveMessage", 200, json::object());  // long poll confirms
  http_.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "m0"}}, {{"Id", "m1"}}}}});
  http_.on("DeleteMessageBatch", 200, {{"Successful", {{{"Id", "0"}}, {{"Id", "1"}}}}});
  auto moved = queue->redrive({});
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  EXPECT_EQ(*moved, 2);
  const auto send = http_.calls("SendMessageBatch")[0].body;
  EXPECT_EQ(send["QueueUrl"], kQueueUrl);
  EXPECT_EQ(send["Entries"][0]["MessageBody"], "body-1");
  const auto del = http_.calls("DeleteMessageBatch")[0].body;
  EXPECT_EQ(del["QueueUrl"], kDlqUrl);
  EXPECT_EQ(del["Entries"][1]["ReceiptHandle"], "rh-d2");
  const auto receives = http_.calls("ReceiveMessage");
  EXPECT_EQ(receives[1].body["WaitTimeSeconds"], 0);
  EXPECT_EQ(receives[2].body["WaitTimeSeconds"], 1);

  // The server has shown it lacks move tasks: the next redrive goes straight to the loop.
  http_.clearCalls();
  http_.on("ReceiveMessage", 200, json::object());
  http_.on("ReceiveMessage", 200, json::object());
  auto none = queue->redrive({});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  EXPECT_TRUE(http_.calls("StartMessageMoveTask").empty());
}

TEST_F(SqsQueueTest, RedriveAlsoFallsBackOnA500ButNotOnRefusedCredentials) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("StartMessageMoveTask", 403, {{"__type", "AccessDenied"}, {"message", "no"}});
  auto refused = queue->redrive({});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(http_.calls("ReceiveMessage").empty());

  http_.on("StartMessageMoveTask", 500, json::object());  // moto
  http_.on("ReceiveMessage", 200, json::object());
  http_.on("ReceiveMessage", 200, json::object());
  auto moved = queue->redrive({});
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  EXPECT_EQ(http_.calls("StartMessageMoveTask").size(), 2u);  // not retried: one each time
}

TEST_F(SqsQueueTest, RedriveByIdMovesOnlyThoseAndReleasesTheRest) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("ReceiveMessage", 200,
           {{"Messages", {message("d1", "body-1", 4, 1000), message("d2", "body-2", 4, 1000)}}});
  http_.on("SendMessageBatch", 200, {{"Successful", {{{"Id", "m0"}}}}});
  http_.on("DeleteMessageBatch", 200, {{"Successful", {{{"Id", "0"}}}}});
  http_.on("ChangeMessageVisibilityBatch", 200, json::object());
  const std::vector<std::string> ids = {"d2"};
  auto moved = queue->redrive(ids);
  ASSERT_TRUE(moved.ok()) << moved.error().describe();
  EXPECT_EQ(*moved, 1);
  // Every wanted id was seen after one receive: no further polling.
  EXPECT_EQ(http_.calls("ReceiveMessage").size(), 1u);
  EXPECT_TRUE(http_.calls("StartMessageMoveTask").empty());
  EXPECT_EQ(http_.calls("SendMessageBatch")[0].body["Entries"][0]["MessageBody"], "body-2");
  EXPECT_EQ(http_.calls("DeleteMessageBatch")[0].body["Entries"][0]["ReceiptHandle"], "rh-d2");
  EXPECT_EQ(http_.calls("ChangeMessageVisibilityBatch")[0].body["Entries"][0]["ReceiptHandle"],
            "rh-d1");
}

TEST_F(SqsQueueTest, PurgeByIdsWithAnUnknownIdChangesNothing) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("ReceiveMessage", 200, {{"Messages", {message("d1", "b", 4, 1000)}}});
  http_.on("ReceiveMessage", 200, json::object());
  http_.on("ReceiveMessage", 200, json::object());
  http_.on("ChangeMessageVisibilityBatch", 200, json::object());
  const std::vector<std::string> ids = {"d1", "ghost"};
  auto purged = queue->purgeDeadLetters(ids);
  ASSERT_FALSE(purged.ok());
  EXPECT_EQ(purged.error().code, ErrorCode::kNotFound);
  EXPECT_NE(purged.error().message.find("ghost"), std::string::npos);
  EXPECT_TRUE(http_.calls("DeleteMessageBatch").empty());
  ASSERT_EQ(http_.calls("ChangeMessageVisibilityBatch").size(), 1u);
  EXPECT_EQ(http_.calls("ChangeMessageVisibilityBatch")[0].body["Entries"][0]["ReceiptHandle"],
            "rh-d1");
}

TEST_F(SqsQueueTest, PurgeAllIsPurgeQueueReportingTheCountBeforeIt) {
  auto queue = open();
  ASSERT_TRUE(queue);
  http_.on("GetQueueAttributes", 200, counts(3, 1));
  http_.on("PurgeQueue", 200, nullptr);
  auto purged = queue->purgeDeadLetters({});
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 4);
  EXPECT_EQ(http_.calls("PurgeQueue")[0].body, (json{{"QueueUrl", kDlqUrl}}));
}

TEST_F(SqsQueueTest, DeleteAndChangeVisibilityCheckLocallyFirst) {
  auto queue = open();
  ASSERT_TRUE(queue);
  const std::vector<std::string> twice = {"a", "a"};
  EXPECT_EQ(queue->deleteBatch(twice).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(queue->changeVisibility("a", 43201s).error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(queue->changeVisibility("", 10s).error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(http_.calls().empty());
}

}  // namespace
}  // namespace rawfeed::queue::sqs
