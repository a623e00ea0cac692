#include "pipeline/worker.h"

#include <gtest/gtest.h>

#include <thread>

#include "pipeline/chunk_message.h"
#include "unit/pipeline/worker_fixture.h"

namespace rawfeed::pipeline {
namespace {

using sources::FetchOutcome;
using testing::day;
using testing::ScriptedSource;

class WorkerTest : public testing::WorkerFixture {
 protected:
  // Orchestrates `symbols` into chunks of 2 and returns them as a first delivery.
  std::vector<queue::ReceivedMessage> orchestrate(const std::vector<std::string>& symbols,
                                                  const std::string& batch_id = "batch-1") {
    fakes::InMemoryQueue queue;
    orchestrateOnto(queue, symbols, fakes::BatchRequestBuilder(batch_id, "2024-01-05").build());
    queue::ReceiveOptions all;
    all.max_messages = queue::kMaxBatchEntries;
    auto delivery = queue.receive(all);
    EXPECT_TRUE(delivery.ok());
    return delivery.ok() ? *delivery : std::vector<queue::ReceivedMessage>{};
  }
};

constexpr const char* kPrefix =
    "customer-data/prices/interval=1d/data_source=yahoo_finance/year=2024/month=01/";

// Bars the source adapter dropped as invalid vanished without a trace (issue 10): now the
// symbol still counts ok, and the bars are in the chunk's result, the manifest and the metrics.
TEST_F(WorkerTest, InvalidBarsAreCountedInTheManifestAndTheMetrics) {
  sources::FetchResult aapl = ScriptedSource::ok({day("2024-01-05", 1704465000, "181.18")});
  aapl.invalid_bars = {{"negative", 2}, {"date_out_of_range", 1}};
  source_.script("AAPL", {aapl});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "367.75")})});
  auto delivery = orchestrate({"AAPL", "MSFT"});
  ASSERT_EQ(delivery.size(), 1u);
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_TRUE(report.failed_message_ids.empty());
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kOk).value(), 2);
  EXPECT_EQ(metrics_.invalidBars("negative").value(), 2);
  EXPECT_EQ(metrics_.invalidBars("date_out_of_range").value(), 1);
  auto objects = store_.objects();
  const std::string manifest = std::string(kPrefix) + "day=05/_batch.manifest.json";
  ASSERT_TRUE(objects.count(manifest));
  EXPECT_NE(objects[manifest].find(
                "\"invalid_bars\":[{\"symbol\":\"AAPL\",\"reason\":\"date_out_of_range\","
                "\"bars\":1},{\"symbol\":\"AAPL\",\"reason\":\"negative\",\"bars\":2}]"),
            std::string::npos)
      << objects[manifest];
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(snapshot->chunks[0].invalid_bars.size(), 2u);
}

TEST_F(WorkerTest, LandsObjectsManifestsAndOneEvent) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-04", 1704378600, "181.91"),
                                              day("2024-01-05", 1704465000, "181.18")})});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "367.75")})});
  source_.script("EMPTY", {ScriptedSource::failure(FetchOutcome::kEmpty, "")});
  // GONE is not scripted: 404.
  auto delivery = orchestrate({"AAPL", "MSFT", "EMPTY", "GONE"});
  ASSERT_EQ(delivery.size(), 2u);
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_TRUE(report.failed_message_ids.empty());

  auto objects = store_.objects();
  const std::string aapl4 = std::string(kPrefix) + "day=04/AAPL.json";
  const std::string aapl5 = std::string(kPrefix) + "day=05/AAPL.json";
  const std::string msft5 = std::string(kPrefix) + "day=05/MSFT.json";
  ASSERT_TRUE(objects.count(aapl4));
  ASSERT_TRUE(objects.count(aapl5));
  ASSERT_TRUE(objects.count(msft5));
  EXPECT_EQ(objects[msft5],
            "{\"symbol\":\"MSFT\",\"timestamp\":\"2024-01-05T14:30:00Z\",\"open\":367.75,"
            "\"high\":367.75,\"low\":367.75,\"close\":367.75,\"adjusted_close\":367.75,"
            "\"volume\":100}\n");
  const std::string manifest5 = std::string(kPrefix) + "day=05/_batch.manifest.json";
  ASSERT_TRUE(objects.count(manifest5));
  EXPECT_NE(objects[manifest5].find("\"schema\":\"rawfeed.manifest/1\""), std::string::npos);
  EXPECT_NE(objects[manifest5].find("\"ds\":\"2024-01-05\""), std::string::npos);
  EXPECT_NE(objects[manifest5].find("\"key\":\"" + msft5 + "\""), std::string::npos);
  EXPECT_NE(objects[manifest5].find("{\"symbol\":\"GONE\",\"outcome\":\"not_found\""),
            std::string::npos);
  EXPECT_TRUE(objects.count(std::string(kPrefix) + "day=04/_batch.manifest.json"));

  const auto events = events_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("\"detail-type\":\"Extract Batch Completed\""), std::string::npos);
  EXPECT_NE(events[0].find("\"objects_written\":3"), std::string::npos);
  EXPECT_NE(events[0].find("\"status\":\"partial\""), std::string::npos);
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kOk).value(), 2);
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kEmpty).value(), 1);
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kNotFound).value(), 1);
  EXPECT_EQ(metrics_.objects_written.value(), 3);
  EXPECT_EQ(metrics_.worker_deliveries.value(), 1);
  EXPECT_EQ(metrics_.worker_errors.value(), 0);
  EXPECT_NE(
      registry_.render().find("rawfeed_symbols_total{domain=\"customer-data\",outcome=\"ok\"} 2"),
      std::string::npos)
      << registry_.render();

  // A redelivery of the same messages changes nothing and announces nothing again.
  const auto before = store_.objects();
  for (auto& message : delivery)
    message.receive_count = 2;
  const DeliveryReport again = worker_->handle(delivery);
  EXPECT_TRUE(again.failed_message_ids.empty());
  EXPECT_EQ(store_.objects(), before);
  EXPECT_EQ(events_.events().size(), 1u);
}

// The same messages sent twice (an orchestrate re-run after a crash before markSent): the
// copies land while the first finalizer is publishing, and publish nothing. The copy that
// finalized is not acknowledged, so it comes back to check; by then the event is out.
TEST_F(WorkerTest, DuplicateMessagesPublishOneEventEvenWhilePublishing) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "2")})});
  source_.script("NVDA", {ScriptedSource::ok({day("2024-01-05", 1704465000, "3")})});
  const auto delivery = orchestrate({"AAPL", "MSFT", "NVDA"});
  ASSERT_EQ(delivery.size(), 2u);
  auto copies = delivery;
  for (auto& copy : copies) {
    copy.message_id = "copy-" + copy.message_id;
    copy.receipt_handle = copy.message_id;
  }
  DeliveryReport during;
  events_.duringFirstPublish([&] {
    std::thread other([&] { during = worker_->handle(copies); });
    other.join();
  });
  EXPECT_TRUE(worker_->handle(delivery).failed_message_ids.empty());
  EXPECT_EQ(events_.events().size(), 1u);
  EXPECT_EQ(during.failed_message_ids, std::vector<std::string>{"copy-m0"})
      << "the copy that found the event claimed comes back";
  EXPECT_TRUE(during.dead_lettering_ids.empty());

  auto back = copies;
  for (auto& copy : back)
    copy.receive_count = 2;
  EXPECT_TRUE(worker_->handle(back).failed_message_ids.empty());
  EXPECT_EQ(events_.events().size(), 1u);
}

// A 429 storm dead-letters both chunks; the batch is announced partial. A redrive that lands
// one chunk leaves it partial and announces nothing; the one that lands the other announces
// it complete.
TEST_F(WorkerTest, RedrivesAnnouncePartialOnceThenCompleteOnce) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  source_.script("NVDA", {ScriptedSource::ok({day("2024-01-05", 1704465000, "3")})});
  for (const char* symbol : {"F1", "F2"}) {
    source_.script(symbol, {ScriptedSource::failure(FetchOutcome::kTransient, "503"),
                            ScriptedSource::failure(FetchOutcome::kTransient, "503"),
                            ScriptedSource::ok({day("2024-01-05", 1704465000, "2")})});
  }
  auto delivery = orchestrate({"AAPL", "F1", "F2", "NVDA"});
  ASSERT_EQ(delivery.size(), 2u);
  EXPECT_EQ(worker_->handle(delivery).failed_message_ids.size(), 2u);
  for (auto& message : delivery)
    message.receive_count = 3;  // max_receives: both chunks are dead-lettered
  EXPECT_EQ(worker_->handle(delivery).dead_lettering_ids.size(), 2u);
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_NE(events_.events()[0].find("\"status\":\"partial\""), std::string::npos);

  for (auto& message : delivery)
    message.receive_count = 1;  // redriven
  EXPECT_TRUE(worker_->handle(std::span(&delivery[0], 1)).failed_message_ids.empty());
  EXPECT_EQ(events_.events().size(), 1u) << "still partial: nothing new to announce";
  EXPECT_TRUE(worker_->handle(std::span(&delivery[1], 1)).failed_message_ids.empty());
  ASSERT_EQ(events_.events().size(), 2u);
  EXPECT_NE(events_.events()[1].find("\"status\":\"complete\""), std::string::npos);
  EXPECT_TRUE(worker_->handle(std::span(&delivery[1], 1)).failed_message_ids.empty())
      << "a duplicate";
  EXPECT_EQ(events_.events().size(), 2u);
}

TEST_F(WorkerTest, TransientFailureFailsOnlyItsMessageUntilTheLastReceive) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "2")})});
  source_.script("FLAKY", {ScriptedSource::failure(FetchOutcome::kTransient, "503")});
  source_.script("NVDA", {ScriptedSource::ok({day("2024-01-05", 1704465000, "3")})});
  auto delivery = orchestrate({"AAPL", "MSFT", "FLAKY", "NVDA"});
  DeliveryReport report = worker_->handle(delivery);
  EXPECT_EQ(report.failed_message_ids, std::vector<std::string>{"m1"});
  EXPECT_TRUE(report.dead_lettering_ids.empty());
  // NVDA, FLAKY's chunk-mate, is in the lake already; the batch is not complete.
  EXPECT_TRUE(store_.objects().count(std::string(kPrefix) + "day=05/NVDA.json"));
  EXPECT_TRUE(events_.events().empty());

  std::vector<queue::ReceivedMessage> last = {delivery[1]};
  last[0].receive_count = 3;  // max_receives
  report = worker_->handle(last);
  EXPECT_EQ(report.dead_lettering_ids, std::vector<std::string>{"m1"});
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->state, tracker::BatchState::kPartial);
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_NE(events_.events()[0].find("\"outcome\":\"transient\""), std::string::npos);
  // NVDA was skipped on the second delivery, and the manifest still lists it.
  const std::string manifest =
      store_.objects()[std::string(kPrefix) + "day=05/_batch.manifest.json"];
  EXPECT_NE(manifest.find("NVDA.json"), std::string::npos);
}

TEST_F(WorkerTest, PoisonMessageFailsAloneAndIsMarkedForTheDlqOnItsLastReceive) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  auto delivery = orchestrate({"AAPL"});
  queue::ReceivedMessage poison;
  poison.message_id = "bad";
  poison.body = "{\"hello\":1}";
  poison.receive_count = 3;
  delivery.push_back(poison);
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_EQ(report.failed_message_ids, std::vector<std::string>{"bad"});
  EXPECT_EQ(report.dead_lettering_ids, std::vector<std::string>{"bad"});
  EXPECT_EQ(metrics_.worker_errors.value(), 1);
  EXPECT_EQ(events_.events().size(), 1u);
}

TEST_F(WorkerTest, LakeWriteFailureIsRetriedNotAcknowledged) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  store_.failPuts(std::string(kPrefix) + "day=05/AAPL.json",
                  core::makeError(core::ErrorCode::kInternal, "disk full (fake)"));
  auto delivery = orchestrate({"AAPL"});
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_EQ(report.failed_message_ids, std::vector<std::string>{"m0"});
  EXPECT_TRUE(events_.events().empty());
}

// Group durability: a delivery's objects are put without syncing their directories one by one,
// then flushed together once, and only then recorded.
TEST_F(WorkerTest, ADeliverysObjectsAreFlushedOnceBeforeAnythingIsRecorded) {
  for (const char* symbol : {"AAPL", "MSFT", "IBM"})
    source_.script(symbol, {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  const auto delivery = orchestrate({"AAPL", "MSFT", "IBM"});
  ASSERT_EQ(delivery.size(), 2u);
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_TRUE(report.failed_message_ids.empty());
  EXPECT_EQ(store_.requests().flushes, 1);
  EXPECT_TRUE(store_.pending().empty());
  EXPECT_TRUE(store_.objects().count(std::string(kPrefix) + "day=05/IBM.json"));
  ASSERT_EQ(events_.events().size(), 1u);
}

TEST_F(WorkerTest, AFailedFlushRecordsNothingAndEveryMessageComesBack) {
  for (const char* symbol : {"AAPL", "MSFT", "IBM"})
    source_.script(symbol, {ScriptedSource::ok({day("2024-01-05", 1704465000, "1")}),
                            ScriptedSource::ok({day("2024-01-05", 1704465000, "1")})});
  auto delivery = orchestrate({"AAPL", "MSFT", "IBM"});
  store_.failFlushes(core::makeError(core::ErrorCode::kInternal, "fsync: I/O error (fake)"));
  const DeliveryReport failed = worker_->handle(delivery);
  EXPECT_EQ(failed.failed_message_ids, (std::vector<std::string>{"m0", "m1"}));
  ASSERT_TRUE(failed.storage_failure.has_value());
  EXPECT_NE(failed.storage_failure->message.find("I/O error (fake)"), std::string::npos);
  EXPECT_TRUE(events_.events().empty());
  auto outline =
      tracker_->readBatch("batch-1", [](tracker::ChunkResult&) { return core::okStatus(); });
  ASSERT_TRUE(outline.ok()) << outline.error().describe();
  EXPECT_EQ(outline->chunks_recorded, 0) << "nothing recorded before its objects are durable";
  // The redelivery finds the objects in place, flushes them and completes the batch.
  store_.clearFaults();
  for (auto& message : delivery)
    ++message.receive_count;
  const DeliveryReport again = worker_->handle(delivery);
  EXPECT_TRUE(again.failed_message_ids.empty());
  EXPECT_TRUE(store_.pending().empty());
  ASSERT_EQ(events_.events().size(), 1u);
}

TEST_F(WorkerTest, BackfillWindowBecomesPeriod1AndPeriod2) {
  source_.script("AAPL", {ScriptedSource::ok({})});
  auto delivery = orchestrate({"AAPL"});
  auto message = decodeChunkMessage(delivery[0].body);
  ASSERT_TRUE(message.ok());
  message->request.period.clear();
  message->request.start = "2024-01-02";
  message->request.end = "2024-01-03";
  delivery[0].body = encodeChunkMessage(*message);
  (void)worker_->handle(delivery);
  const auto requests = source_.requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_TRUE(requests[0].window);
  EXPECT_EQ(requests[0].window->start, 1704153600);  // 2024-01-02T00:00:00Z
  EXPECT_EQ(requests[0].window->end, 1704326400);    // 2024-01-04T00:00:00Z: end is inclusive
}

TEST_F(WorkerTest, DeadlineLeavesAChunkWithAFetchInFlightUnfinishedAndUnrecorded) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "181.18")})});
  source_.script("SLOW", {ScriptedSource::ok({day("2024-01-05", 1704465000, "1.00")})});
  source_.script("MSFT", {ScriptedSource::ok({day("2024-01-05", 1704465000, "367.75")})});
  source_.script("IBM", {ScriptedSource::ok({day("2024-01-05", 1704465000, "160.00")})});
  source_.hold("SLOW");
  auto delivery = orchestrate({"AAPL", "SLOW", "MSFT", "IBM"});  // chunks [AAPL SLOW] [MSFT IBM]
  ASSERT_EQ(delivery.size(), 2u);
  // Already passed: whatever has completed is taken, nothing more is waited for.
  const auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  const DeliveryReport report = worker_->handle(delivery, DeliveryDeadline{past, past});
  EXPECT_EQ(report.failed_message_ids, std::vector<std::string>{"m0"});
  EXPECT_EQ(report.unfinished_ids, std::vector<std::string>{"m0"});
  EXPECT_TRUE(report.dead_lettering_ids.empty());
  for (const auto& request : source_.requests()) {
    ASSERT_TRUE(request.start_by.has_value()) << request.symbol;
    EXPECT_EQ(*request.start_by, past);
  }
  // The finished chunk is recorded; the cut one is not, though its finished symbol's object is
  // whole in the lake for the redelivery to find.
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(snapshot->chunks[0].chunk_index, 1);
  auto objects = store_.objects();
  EXPECT_TRUE(objects.count(std::string(kPrefix) + "day=05/AAPL.json"));
  EXPECT_FALSE(objects.count(std::string(kPrefix) + "day=05/SLOW.json"));
  EXPECT_TRUE(events_.events().empty());

  // The abandoned fetch completing afterwards touches nothing of the finished delivery.
  source_.releaseHeld();
  EXPECT_FALSE(store_.objects().count(std::string(kPrefix) + "day=05/SLOW.json"));

  // The redelivery finishes the chunk: recorded once, the batch complete, one event.
  delivery[0].receive_count = 2;
  const DeliveryReport again = worker_->handle(std::span(delivery).first(1));
  EXPECT_TRUE(again.failed_message_ids.empty());
  snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->chunks.size(), 2u);
  EXPECT_EQ(events_.events().size(), 1u);
}

TEST_F(WorkerTest, ThrottledOnlyChunksAreNamedApartFromOtherFailures) {
  source_.script("AAPL", {ScriptedSource::failure(FetchOutcome::kThrottled, "429")});
  source_.script("MSFT", {ScriptedSource::ok({})});
  source_.script("IBM", {ScriptedSource::failure(FetchOutcome::kTransient, "503")});
  source_.script("KO", {ScriptedSource::failure(FetchOutcome::kThrottled, "429")});
  auto delivery = orchestrate({"AAPL", "MSFT", "IBM", "KO"});  // [AAPL MSFT] [IBM KO]
  const DeliveryReport report = worker_->handle(delivery);
  EXPECT_EQ(report.failed_message_ids, (std::vector<std::string>{"m0", "m1"}));
  EXPECT_EQ(report.throttled_ids, std::vector<std::string>{"m0"});
  ASSERT_EQ(report.requeues.size(), 1u);  // only the chunk kept back by the rate limit alone
  EXPECT_EQ(report.requeues[0].message_id, "m0");
  EXPECT_TRUE(report.unfinished_ids.empty());
}

TEST_F(WorkerTest, AChunkThatComesAgainFetchesOnlyWhatHasNotLanded) {
  source_.script("AAPL", {ScriptedSource::ok({day("2024-01-05", 1704465000, "181.91")})});
  source_.script("MSFT", {ScriptedSource::failure(FetchOutcome::kThrottled, "429"),
                          ScriptedSource::ok({day("2024-01-05", 1704465000, "367.75")})});
  auto delivery = orchestrate({"AAPL", "MSFT"});  // one chunk of two
  const DeliveryReport first = worker_->handle(delivery);
  ASSERT_EQ(first.requeues.size(), 1u);
  // The re-sent chunk: AAPL landed already and is not fetched again.
  queue::ReceivedMessage again = delivery[0];
  again.message_id = "m0-again";
  again.body = first.requeues[0].body;
  const DeliveryReport second = worker_->handle(std::span(&again, 1));
  EXPECT_TRUE(second.failed_message_ids.empty());
  int aapl = 0;
  for (const auto& request : source_.requests())
    aapl += request.symbol == "AAPL" ? 1 : 0;
  EXPECT_EQ(aapl, 1);
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(snapshot->chunks[0].ok_symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(snapshot->chunks[0].objects.size(), 2u);
  EXPECT_TRUE(snapshot->chunks[0].failed.empty());
  EXPECT_EQ(events_.events().size(), 1u);
}

core::CorporateAction action(core::CorporateActionKind kind, std::int64_t timestamp,
                             const std::string& day) {
  core::CorporateAction a;
  a.kind = kind;
  a.timestamp = timestamp;
  a.day = day;
  if (kind == core::CorporateActionKind::kSplit) {
    a.numerator = "4";
    a.denominator = "1";
    a.ratio = "4:1";
  } else {
    a.amount = "0.24";
    a.currency = "USD";
  }
  return a;
}

constexpr const char* kActionsPrefix =
    "customer-data/corporate_actions/interval=1d/data_source=yahoo_finance/year=2024/month=01/";

// Issue 12: the source's corporate actions land in the domain's second table, one object per
// symbol and day, with manifests of the days they touched and the event listing both tables; an
// events-only answer (no bars) still lands its actions; a second batch skips both tables.
// Corporate actions the source adapter dropped as invalid are never written: counted in the
// metrics by reason, listed in the actions table's manifest, and kept in the chunk's result.
TEST_F(WorkerTest, InvalidCorporateActionsAreCountedInTheManifestAndTheMetrics) {
  using core::CorporateActionKind;
  sources::FetchResult aapl = ScriptedSource::ok({day("2024-01-05", 1704465000, "181.18")});
  aapl.actions = {action(CorporateActionKind::kDividend, 1704465000, "2024-01-05")};
  aapl.invalid_actions = {{"not_a_number", 2}, {"bad_date", 1}};
  source_.script("AAPL", {aapl});
  fakes::InMemoryQueue queue;
  BatchRequest request = fakes::BatchRequestBuilder("batch-1", "2024-01-05").build();
  request.corporate_actions_table = "corporate_actions";
  orchestrateOnto(queue, {"AAPL"}, request);
  auto delivery = queue.receive({});
  ASSERT_TRUE(delivery.ok());
  const DeliveryReport report = worker_->handle(*delivery);
  EXPECT_TRUE(report.failed_message_ids.empty());
  EXPECT_EQ(metrics_.invalidActions("not_a_number").value(), 2);
  EXPECT_EQ(metrics_.invalidActions("bad_date").value(), 1);
  EXPECT_EQ(metrics_.invalidBars("not_a_number").value(), 0);
  auto objects = store_.objects();
  const std::string manifest = std::string(kActionsPrefix) + "day=05/_batch.manifest.json";
  ASSERT_TRUE(objects.count(manifest));
  EXPECT_NE(objects[manifest].find(
                "\"invalid_actions\":[{\"symbol\":\"AAPL\",\"reason\":\"bad_date\","
                "\"actions\":1},{\"symbol\":\"AAPL\",\"reason\":\"not_a_number\",\"actions\":2}]"),
            std::string::npos)
      << objects[manifest];
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->chunks.size(), 1u);
  EXPECT_EQ(snapshot->chunks[0].invalid_actions.size(), 2u);
}

TEST_F(WorkerTest, CorporateActionsLandInTheirOwnTable) {
  using core::CorporateActionKind;
  sources::FetchResult aapl = ScriptedSource::ok({day("2024-01-05", 1704465000, "181.18")});
  aapl.actions = {action(CorporateActionKind::kDividend, 1704378600, "2024-01-04"),
                  action(CorporateActionKind::kDividend, 1704465000, "2024-01-05"),
                  action(CorporateActionKind::kSplit, 1704465000, "2024-01-05")};
  sources::FetchResult fund = ScriptedSource::failure(FetchOutcome::kEmpty, "");
  fund.actions = {action(CorporateActionKind::kCapitalGain, 1704378600, "2024-01-04")};
  for (const char* batch : {"batch-1", "batch-2"}) {
    source_.script("AAPL", {aapl});
    source_.script("FUND", {fund});
    fakes::InMemoryQueue queue;
    BatchRequest request = fakes::BatchRequestBuilder(batch, "2024-01-05").build();
    request.corporate_actions_table = "corporate_actions";
    orchestrateOnto(queue, {"AAPL", "FUND"}, request);
    queue::ReceiveOptions all;
    all.max_messages = queue::kMaxBatchEntries;
    auto delivery = queue.receive(all);
    ASSERT_TRUE(delivery.ok());
    ASSERT_NE(delivery->front().body.find("\"corporate_actions_table\":\"corporate_actions\""),
              std::string::npos);
    const DeliveryReport report = worker_->handle(*delivery);
    EXPECT_TRUE(report.failed_message_ids.empty());
  }
  auto objects = store_.objects();
  const std::string aapl4 = std::string(kActionsPrefix) + "day=04/AAPL.json";
  const std::string aapl5 = std::string(kActionsPrefix) + "day=05/AAPL.json";
  const std::string fund4 = std::string(kActionsPrefix) + "day=04/FUND.json";
  ASSERT_TRUE(objects.count(aapl4));
  ASSERT_TRUE(objects.count(aapl5));
  ASSERT_TRUE(objects.count(fund4));
  EXPECT_EQ(objects[aapl5],
            "{\"symbol\":\"AAPL\",\"date\":\"2024-01-05\",\"timestamp\":\"2024-01-05T14:30:00Z\","
            "\"type\":\"dividend\",\"amount\":0.24,\"currency\":\"USD\",\"numerator\":null,"
            "\"denominator\":null,\"split_ratio\":null}\n"
            "{\"symbol\":\"AAPL\",\"date\":\"2024-01-05\",\"timestamp\":\"2024-01-05T14:30:00Z\","
            "\"type\":\"split\",\"amount\":null,\"currency\":null,\"numerator\":4,"
            "\"denominator\":1,\"split_ratio\":\"4:1\"}\n");
  EXPECT_EQ(objects[fund4],
            "{\"symbol\":\"FUND\",\"date\":\"2024-01-04\",\"timestamp\":\"2024-01-04T14:30:00Z\","
            "\"type\":\"capital_gain\",\"amount\":0.24,\"currency\":\"USD\",\"numerator\":null,"
            "\"denominator\":null,\"split_ratio\":null}\n");
  // The bars' table: AAPL's one day only; its manifest only for that day.
  EXPECT_TRUE(objects.count(std::string(kPrefix) + "day=05/AAPL.json"));
  EXPECT_FALSE(objects.count(std::string(kPrefix) + "day=04/_batch.manifest.json"));
  const std::string manifest4 = std::string(kActionsPrefix) + "day=04/_batch.manifest.json";
  const std::string manifest5 = std::string(kActionsPrefix) + "day=05/_batch.manifest.json";
  ASSERT_TRUE(objects.count(manifest4));
  ASSERT_TRUE(objects.count(manifest5));
  EXPECT_NE(objects[manifest4].find("\"table_name\":\"corporate_actions\""), std::string::npos);
  EXPECT_NE(objects[manifest4].find("\"key\":\"" + aapl4 + "\""), std::string::npos);
  EXPECT_NE(objects[manifest4].find("\"key\":\"" + fund4 + "\""), std::string::npos);
  EXPECT_EQ(objects[manifest5].find("FUND"), std::string::npos);
  const std::string bars_manifest = std::string(kPrefix) + "day=05/_batch.manifest.json";
  ASSERT_TRUE(objects.count(bars_manifest));
  EXPECT_EQ(objects[bars_manifest].find("corporate_actions"), std::string::npos);

  const auto events = events_.events();
  ASSERT_EQ(events.size(), 2u);
  const std::string tables_first =
      "\"tables\":[{\"table_name\":\"prices\",\"manifest_keys\":[\"" + bars_manifest +
      "\"],\"objects_written\":1,\"objects_skipped\":0},{\"table_name\":\"corporate_actions\","
      "\"manifest_keys\":[\"" +
      manifest4 + "\",\"" + manifest5 + "\"],\"objects_written\":3,\"objects_skipped\":0}]";
  EXPECT_NE(events[0].find(tables_first), std::string::npos) << events[0];
  // The top-level figures stay the bars' table's.
  EXPECT_NE(events[0].find("\"manifest_keys\":[\"" + bars_manifest +
                           "\"],\"objects_written\":1,\"objects_skipped\":0,"),
            std::string::npos)
      << events[0];
  EXPECT_NE(events[0].find("\"status\":\"complete\""), std::string::npos);
  const std::string tables_again =
      "\"tables\":[{\"table_name\":\"prices\",\"manifest_keys\":[\"" + bars_manifest +
      "\"],\"objects_written\":0,\"objects_skipped\":1},{\"table_name\":\"corporate_actions\","
      "\"manifest_keys\":[\"" +
      manifest4 + "\",\"" + manifest5 + "\"],\"objects_written\":0,\"objects_skipped\":3}]";
  EXPECT_NE(events[1].find(tables_again), std::string::npos) << events[1];
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kOk).value(), 2);
  EXPECT_EQ(metrics_.symbols(observe::SymbolOutcome::kEmpty).value(), 2);

  // The tracker kept which table each object belongs to.
  auto snapshot = tracker_->snapshot("batch-1");
  ASSERT_TRUE(snapshot.ok());
  int actions = 0;
  for (const auto& chunk : snapshot->chunks) {
    EXPECT_EQ(chunk.records, 1);  // bars only
    for (const auto& object : chunk.objects) {
      if (object.table == "corporate_actions") {
        ++actions;
        EXPECT_NE(object.key.find("/corporate_actions/"), std::string::npos);
      } else {
        EXPECT_EQ(object.table, "");
      }
    }
  }
  EXPECT_EQ(actions, 3);
}

TEST_F(WorkerTest, WithoutAnActionsTableTheSourcesActionsAreNotWritten) {
  sources::FetchResult aapl = ScriptedSource::ok({day("2024-01-05", 1704465000, "181.18")});
  aapl.actions = {action(core::CorporateActionKind::kDividend, 1704378600, "2024-01-04")};
  sources::FetchResult fund = ScriptedSource::failure(FetchOutcome::kEmpty, "");
  fund.actions = aapl.actions;
  source_.script("AAPL", {aapl});
  source_.script("FUND", {fund});
  const DeliveryReport report = worker_->handle(orchestrate({"AAPL", "FUND"}));
  EXPECT_TRUE(report.failed_message_ids.empty());
  for (const auto& [key, bytes] : store_.objects())
    EXPECT_EQ(key.find("corporate_actions"), std::string::npos) << key;
  const auto events = events_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("\"tables\":[{\"table_name\":\"prices\",\"manifest_keys\":["),
            std::string::npos);
  EXPECT_EQ(events[0].find("corporate_actions"), std::string::npos);
}

TEST_F(WorkerTest, AChunkMessageWhoseActionsTableIsNotASecondTableIsPoison) {
  auto delivery = orchestrate({"AAPL"});
  ASSERT_EQ(delivery.size(), 1u);
  auto decoded = decodeChunkMessage(delivery[0].body);
  ASSERT_TRUE(decoded.ok());
  for (const char* bad : {"prices", "a/b"}) {
    decoded->request.corporate_actions_table = bad;
    delivery[0].body = encodeChunkMessage(*decoded);
    const DeliveryReport report = worker_->handle(delivery);
    ASSERT_EQ(report.failed_message_ids.size(), 1u) << bad;
  }
}

}  // namespace
}  // namespace rawfeed::pipeline
