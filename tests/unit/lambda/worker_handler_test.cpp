// The worker function over the real pipeline::Worker with fakes: SQS event in, batchItemFailures
// out, and the visibility of each failed message set as documented.
#include "lambda/worker_handler.h"
#include "pipeline/chunk_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lambda/orchestrator_handler.h"
#include "unit/pipeline/worker_fixture.h"

namespace rawfeed::lambda {
namespace {

using pipeline::testing::day;
using pipeline::testing::ScriptedSource;
using sources::FetchOutcome;

class WorkerHandlerTest : public pipeline::testing::WorkerFixture {
 protected:
  void SetUp() override {
    pipeline::testing::WorkerFixture::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    WorkerHandlerOptions options;
    options.deadline_margin = std::chrono::milliseconds(200);
    options.redelivery_backoff = std::chrono::seconds(2);
    options.visibility_timeout = std::chrono::seconds(60);
    handler_ =
        std::make_unique<WorkerHandler>(*worker_, queue_, core::systemClock(), logger_, options);
  }
  // Lambda deletes what the function does not report failed.
  void TearDown() override { EXPECT_EQ(queue_.deleted(), 0) << "the handler deleted messages"; }

  // The chunk message bodies of a batch of `symbols` in chunks of 2.
  std::vector<std::string> bodies(const std::vector<std::string>& symbols) {
    fakes::InMemoryQueue queue;
    orchestrateOnto(
        queue, symbols,
        fakes::BatchRequestBuilder("batch-1", "2024-01-05").triggerType("scheduled").build());
    return queue.bodies();
  }

  static std::string event(const std::vector<std::string>& bodies, int receive_count) {
    nlohmann::json records = nlohmann::json::array();
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      records.push_back(
          {{"messageId", "m" + std::to_string(i)},
           {"receiptHandle", "rh" + std::to_string(i)},
           {"body", bodies[i]},
           {"attributes", {{"ApproximateReceiveCount", std::to_string(receive_count)}}},
           {"eventSource", "aws:sqs"}});
    }
    return nlohmann::json{{"Records", records}}.dump();
  }

  Invocation invocation(std::string payload, std::int64_t deadline_ms = 0) {
    return Invocation{"req-1", deadline_ms, "arn", "", std::move(payload)};
  }

  std::unique_ptr<WorkerHandler> handler_;
};

TEST_F(WorkerHandlerTest, FailedMessagesAreListedAndComeBackAfterTheBackoff) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1.5")})});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1.5")})});
  source_.script("BAD", {ScriptedSource::failure(FetchOutcome::kTransient, "503")});
  source_.script("IBM", {ScriptedSource::ok({})});
  auto body = bodies({"AAPL", "MSFT", "BAD", "IBM"});
  body.push_back("not a chunk message");
  auto reply = handler_->handle(invocation(event(body, 2)));
  ASSERT_TRUE(reply.ok()) << reply.error().describe();
  EXPECT_EQ(nlohmann::json::parse(*reply),
            nlohmann::json::parse(R"({"batchItemFailures":[{"itemIdentifier":"m1"},
                                                           {"itemIdentifier":"m2"}]})"));
  // Receive 2: base 2 s × 2^(2−1).
  EXPECT_EQ(queue_.visibilityChanges(),
            (std::map<std::string, std::chrono::seconds>{{"rh1", std::chrono::seconds(4)},
                                                         {"rh2", std::chrono::seconds(4)}}));
  EXPECT_EQ(store_.objects().count(
                "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/"
                "day=05/MSFT.json"),
            1u);
  EXPECT_TRUE(queue_.sent().empty());
}

TEST_F(WorkerHandlerTest, AThrottledChunkGoesBackAsAFreshMessageEvenOnTheLastReceive) {
  source_.script("THR",
                 {ScriptedSource::failure(FetchOutcome::kThrottled, "429 Too Many Requests")});
  source_.script("IBM", {ScriptedSource::ok({})});
  auto reply = handler_->handle(invocation(event(bodies({"THR", "IBM"}), 3)));
  ASSERT_TRUE(reply.ok());
  // Not a failure: its replacement is in the queue, so Lambda may delete the original.
  EXPECT_EQ(*reply, R"({"batchItemFailures":[]})");
  EXPECT_TRUE(queue_.visibilityChanges().empty());
  ASSERT_EQ(queue_.sent().size(), 1u);
  EXPECT_EQ(queue_.sent()[0].id, "m0");
  EXPECT_GE(queue_.sent()[0].delay, std::chrono::seconds(1));
  auto requeued = pipeline::decodeChunkMessage(queue_.sent()[0].body);
  ASSERT_TRUE(requeued.ok());
  EXPECT_TRUE(requeued->throttled_since.has_value());
  EXPECT_EQ(requeued->requeues, 1);
  EXPECT_EQ(requeued->symbols, (std::vector<std::string>{"THR", "IBM"}));
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->chunks.empty()) << "nothing recorded, nothing dead-lettered";
}

TEST_F(WorkerHandlerTest, ASimulatedDayOfPausesNeverReachesTheDlq) {
  // The source refuses THR every time for a day; every invocation hands the chunk back as a fresh
  // message (receive count 1 each time), none is dead-lettered until max_throttled has passed.
  source_.script("THR",
                 {ScriptedSource::failure(FetchOutcome::kThrottled, "429 Too Many Requests")});
  source_.script("IBM", {ScriptedSource::ok({})});
  std::string body = bodies({"THR", "IBM"})[0];
  int invocations = 0;
  for (auto elapsed = std::chrono::minutes(0); elapsed < std::chrono::hours(24);
       elapsed += std::chrono::minutes(30)) {
    const std::size_t sent_before = queue_.sent().size();
    auto reply = handler_->handle(invocation(event({body}, 1)));
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(*reply, R"({"batchItemFailures":[]})") << "after " << elapsed.count() << " min";
    ASSERT_EQ(queue_.sent().size(), sent_before + 1);
    body = queue_.sent().back().body;
    ++invocations;
    clock_.advance(std::chrono::minutes(30));
  }
  EXPECT_EQ(invocations, 48);
  EXPECT_TRUE(queue_.visibilityChanges().empty()) << "nothing released for the DLQ";
  auto requeued = pipeline::decodeChunkMessage(body);
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(requeued->requeues, 48);
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->chunks.empty());
  // Past the day: recorded dead-lettered, released for the DLQ once.
  auto last = handler_->handle(invocation(event({body}, 1)));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, R"({"batchItemFailures":[{"itemIdentifier":"m0"}]})");
  snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_TRUE(snapshot->chunks[0].dead_lettered);
}

TEST_F(WorkerHandlerTest, AChunkThrottledLongerThanTheMaximumIsRecordedAndReleasedForTheDlq) {
  source_.script("THR",
                 {ScriptedSource::failure(FetchOutcome::kThrottled, "429 Too Many Requests")});
  source_.script("IBM", {ScriptedSource::ok({})});
  auto message = pipeline::decodeChunkMessage(bodies({"THR", "IBM"})[0]);
  ASSERT_TRUE(message.ok());
  message->throttled_since = clock_.now() - std::chrono::hours(25);
  message->requeues = 40;
  auto reply = handler_->handle(invocation(event({pipeline::encodeChunkMessage(*message)}, 1)));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(*reply, R"({"batchItemFailures":[{"itemIdentifier":"m0"}]})");
  EXPECT_EQ(queue_.visibilityChanges().at("rh0"), std::chrono::seconds(0));
  EXPECT_TRUE(queue_.sent().empty());
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_TRUE(snapshot->chunks[0].dead_lettered);
  ASSERT_FALSE(snapshot->chunks[0].failed.empty());
  EXPECT_NE(snapshot->chunks[0].failed[0].reason.find("longer than max_throttled_seconds"),
            std::string::npos);
  EXPECT_EQ(events_.events().size(), 1u) << "the batch completes with the chunk dead-lettered";
}

TEST_F(WorkerHandlerTest, APassedDeadlineCutsTheChunkInFlightAndReleasesItAtOnce) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1.5")})});
  source_.script("SLOW", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1.5")})});
  source_.hold("SLOW");
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto reply = handler_->handle(invocation(event(bodies({"AAPL", "SLOW"}), 1), now_ms));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(*reply, R"({"batchItemFailures":[{"itemIdentifier":"m0"}]})");
  EXPECT_EQ(queue_.visibilityChanges().at("rh0"), std::chrono::seconds(0));
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->chunks.empty()) << "nothing recorded for an unfinished chunk";
  source_.releaseHeld();
}

TEST_F(WorkerHandlerTest, TheDeadlineLeavesTheMarginFree) {
  const auto deadline =
      handler_->deadlineFor(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count() +
                            10000);
  ASSERT_TRUE(deadline.has_value());
  const auto until_start = deadline->start_by - std::chrono::steady_clock::now();
  EXPECT_GT(until_start, std::chrono::milliseconds(9700));
  EXPECT_LE(until_start, std::chrono::milliseconds(9800));
  EXPECT_EQ(deadline->stop_waiting - deadline->start_by, std::chrono::milliseconds(100));
  EXPECT_FALSE(handler_->deadlineFor(0).has_value());
}

TEST_F(WorkerHandlerTest, AMalformedEventIsAnInvocationErrorAndNothingIsHandled) {
  auto reply = handler_->handle(invocation(R"({"detail-type":"Scheduled Event"})"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(reply.error().message, "not an SQS event: no \"Records\" array");
  EXPECT_TRUE(source_.requests().empty());
  EXPECT_EQ(metrics_.worker_deliveries.value(), 0);
}

TEST(OrchestratorHandlerTest, TriggersDirectOrInAnEnvelopeAndBadEventsNamed) {
  std::vector<pipeline::TriggerEvent> started;
  OrchestratorHandler handler(
      [&](const pipeline::TriggerEvent& trigger) -> core::Result<std::string> {
        started.push_back(trigger);
        return std::string(R"({"published":1})");
      });
  auto direct =
      handler.handle({"r1", 0, "", "", R"({"symbols":["AAPL"],"batch_ds":"2024-01-05"})"});
  ASSERT_TRUE(direct.ok()) << direct.error().describe();
  EXPECT_EQ(*direct, R"({"published":1})");
  auto envelope = handler.handle(
      {"r2", 0, "", "",
       R"({"version":"0","id":"e","detail-type":"Extract Batch Requested","source":"scheduler",
           "account":"1","time":"2024-01-05T00:00:00Z","region":"eu-west-1","resources":[],
           "detail":{"trigger_type":"event","period":"5d"}})"});
  ASSERT_TRUE(envelope.ok()) << envelope.error().describe();
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(*started[0].trigger_type, "schedule");
  EXPECT_EQ(*started[0].symbols, std::vector<std::string>{"AAPL"});
  EXPECT_EQ(*started[1].trigger_type, "event");
  EXPECT_EQ(*started[1].period, "5d");

  auto bad = handler.handle({"r3", 0, "", "", R"({"symbols":"AAPL","perod":"5d"})"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(bad.error().message.rfind("not a trigger event: ", 0), 0u) << bad.error().message;
  EXPECT_EQ(started.size(), 2u) << "nothing started for a bad event";
}

}  // namespace
}  // namespace rawfeed::lambda
