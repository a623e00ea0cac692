#include "events/lake_outbox/lake_outbox_event_sink.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "events/lake_outbox/lake_outbox_keys.h"
#include "support/fakes/in_memory_object_store.h"
#include "unit/events/flaky_sink.h"
#include "unit/events/testing_support.h"

namespace rawfeed::events::lake_outbox {
namespace {

using testing::completionEvent;
using testing::FlakySink;

constexpr const char* kSink = "eventbridge://bus";

core::Error lakeDown() {
  return core::makeError(core::ErrorCode::kTransient, "S3 is down (fake)");
}

// One host: its own outbox object and sink connection over the shared lake.
struct Host {
  FlakySink* sink = nullptr;
  std::unique_ptr<LakeOutboxEventSink> outbox;
};

class LakeOutboxTest : public ::testing::Test {
 protected:
  Host host(int max_events_per_pass = 0) {
    auto owned = std::make_unique<FlakySink>();
    Host h;
    h.sink = owned.get();
    h.outbox = std::make_unique<LakeOutboxEventSink>(LakeOutboxOptions{kSink, max_events_per_pass},
                                                     lake_, std::move(owned), logger_);
    return h;
  }
  std::set<std::string> keysUnder(const std::string& prefix) {
    std::set<std::string> keys;
    const auto listed = lake_.list(prefix);
    EXPECT_TRUE(listed.ok());
    if (listed.ok()) {
      for (const auto& object : *listed)
        keys.insert(object.key);
    }
    return keys;
  }
  std::string pending() const { return pendingPrefix(sinkSegment(kSink)); }
  std::string delivered() const { return deliveredPrefix(sinkSegment(kSink)); }

  fakes::InMemoryObjectStore lake_{"memory://lake"};
  observe::NullLogger logger_;
};

TEST_F(LakeOutboxTest, DeliversAtOnceAndLeavesOnlyTheDeliveredMarker) {
  auto a = host();
  const std::string event = completionEvent("b-1");
  ASSERT_TRUE(a.outbox->publish(event).ok());
  EXPECT_EQ(a.sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(a.outbox->lastReport().delivered, 1);
  EXPECT_TRUE(keysUnder(pending()).empty());
  const std::string marker = delivered() + eventFileName(event).value();
  EXPECT_EQ(keysUnder(delivered()), std::set<std::string>{marker});
  EXPECT_EQ(lake_.get(marker).value(), event);
  EXPECT_EQ(a.outbox->pendingCount().value(), 0);
}

TEST_F(LakeOutboxTest, AnEventPendingOnALostHostIsDeliveredOnceByAnotherHost) {
  auto a = host();
  const std::string event = completionEvent("b-1");
  a.sink->failNext(core::ErrorCode::kTransient);
  ASSERT_TRUE(a.outbox->publish(event).ok()) << "recorded in the lake: the batch is finalised";
  EXPECT_TRUE(a.sink->received().empty());
  EXPECT_EQ(a.outbox->lastReport().pending, 1);
  EXPECT_EQ(keysUnder(pending()), std::set<std::string>{pending() + eventFileName(event).value()});
  a.outbox.reset();  // host A is gone for good, with whatever it kept locally

  auto b = host();
  EXPECT_EQ(b.outbox->pendingCount().value(), 1);
  const auto report = b.outbox->deliverPending();
  EXPECT_EQ(report.delivered, 1);
  EXPECT_EQ(report.pending, 0);
  EXPECT_FALSE(report.error.has_value());
  EXPECT_EQ(b.sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(b.outbox->deliverPending().delivered, 0) << "nothing is sent twice";
  EXPECT_EQ(b.sink->received().size(), 1u);
  EXPECT_EQ(b.outbox->pendingCount().value(), 0);
}

TEST_F(LakeOutboxTest, AStoreFailureBeforeTheEventIsRecordedFailsThePublishAndSendsNothing) {
  auto a = host();
  lake_.failPuts("/pending/", lakeDown());
  const auto published = a.outbox->publish(completionEvent("b-1"));
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code, core::ErrorCode::kTransient);
  EXPECT_EQ(a.sink->attempts(), 0) << "never delivered before it is durable";
  EXPECT_TRUE(lake_.objects().empty());
}

TEST_F(LakeOutboxTest, AnEventWhoseMarkerExistsIsNotSentAgainButRemoved) {
  // A host delivered and marked the event, then died before removing it from pending/.
  const std::string event = completionEvent("b-1");
  const std::string name = eventFileName(event).value();
  lake_.set(pending() + name, event);
  lake_.set(delivered() + name, event);
  auto b = host();
  const auto report = b.outbox->deliverPending();
  EXPECT_EQ(report.delivered, 0);
  EXPECT_EQ(report.pending, 0);
  EXPECT_TRUE(b.sink->received().empty());
  EXPECT_TRUE(keysUnder(pending()).empty());
}

TEST_F(LakeOutboxTest, AMarkerThatCannotBeWrittenLeavesTheEventPendingAtLeastOnce) {
  auto a = host();
  lake_.failPuts("/delivered/", lakeDown());
  const std::string event = completionEvent("b-1");
  ASSERT_TRUE(a.outbox->publish(event).ok());
  EXPECT_EQ(a.outbox->lastReport().pending, 1);
  EXPECT_EQ(keysUnder(pending()).size(), 1u);
  lake_.clearFaults();
  EXPECT_EQ(a.outbox->deliverPending().delivered, 1);
  EXPECT_EQ(a.sink->received(), (std::vector<std::string>{event, event}))
      << "sent again rather than lost";
  EXPECT_TRUE(keysUnder(pending()).empty());
}

TEST_F(LakeOutboxTest, ASinkThatIsDownEndsThePassARefusedEventDoesNot) {
  const std::string e1 = completionEvent("b-1");
  const std::string e2 = completionEvent("b-2");
  const std::string e3 = completionEvent("b-3");
  for (const auto& event : {e1, e2, e3})
    lake_.set(pending() + eventFileName(event).value(), event);
  auto b = host();
  b.sink->failNext(core::ErrorCode::kThrottled);
  auto report = b.outbox->deliverPending();
  EXPECT_EQ(b.sink->attempts(), 1) << "the pass stops at the sink-level failure";
  EXPECT_EQ(report.pending, 3);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, core::ErrorCode::kThrottled);

  b.sink->refuseEventsContaining("\"b-2\"");
  report = b.outbox->deliverPending();
  EXPECT_EQ(report.delivered, 2);
  EXPECT_EQ(report.pending, 1);
  EXPECT_EQ(b.sink->received(), (std::vector<std::string>{e1, e3}));
  EXPECT_EQ(keysUnder(pending()), std::set<std::string>{pending() + eventFileName(e2).value()});
}

TEST_F(LakeOutboxTest, APassIsBoundedWhenAskedAndTheRestWaitsForTheNext) {
  for (int i = 0; i < 5; ++i) {
    const std::string event = completionEvent("b-" + std::to_string(i));
    lake_.set(pending() + eventFileName(event).value(), event);
  }
  auto lambda = host(/*max_events_per_pass=*/2);
  auto report = lambda.outbox->deliverPending();
  EXPECT_EQ(report.delivered, 2);
  EXPECT_EQ(report.pending, 3);
  EXPECT_EQ(lambda.outbox->pendingCount().value(), 3);
  lambda.outbox->deliverPending();
  lambda.outbox->deliverPending();
  EXPECT_EQ(lambda.outbox->pendingCount().value(), 0);
  EXPECT_EQ(lambda.sink->received().size(), 5u);
}

TEST_F(LakeOutboxTest, ARepublishedEventOfADeliveredBatchIsNotSentAgain) {
  // The finaliser ran twice (its markEventPublished failed the first time): the same bytes.
  auto a = host();
  const std::string event = completionEvent("b-1");
  ASSERT_TRUE(a.outbox->publish(event).ok());
  ASSERT_TRUE(a.outbox->publish(event).ok());
  EXPECT_EQ(a.sink->received().size(), 1u);
  EXPECT_TRUE(keysUnder(pending()).empty());
}

TEST_F(LakeOutboxTest, ANewRevisionOfABatchIsANewEvent) {
  auto a = host();
  const std::string first = completionEvent("b-1");
  const std::string second = completionEvent("b-1", "d2");  // other content, same batch
  ASSERT_TRUE(a.outbox->publish(first).ok());
  ASSERT_TRUE(a.outbox->publish(second).ok());
  EXPECT_EQ(a.sink->received(), (std::vector<std::string>{first, second}));
  EXPECT_EQ(keysUnder(delivered()).size(), 2u);
}

TEST_F(LakeOutboxTest, AListingFailureIsReportedAndNothingIsSent) {
  auto b = host();
  lake_.failLists(lakeDown());
  const auto report = b.outbox->deliverPending();
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, core::ErrorCode::kTransient);
  EXPECT_FALSE(b.outbox->pendingCount().ok());
}

TEST(LakeOutboxKeysTest, AnEventWithoutABatchIdIsRefusedNamingWhy) {
  auto missing = eventFileName(R"({"detail":{}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(missing.error().message.find("detail.batch_id"), std::string::npos);
  auto slash = eventFileName(R"({"detail":{"batch_id":"a/b"}})");
  ASSERT_FALSE(slash.ok());
  EXPECT_NE(slash.error().message.find("'a/b'"), std::string::npos);
}

TEST(LakeOutboxKeysTest, NamesAreStableAndCarryTheBatchId) {
  const std::string event = completionEvent("sched-daily-20261126T0100Z");
  const std::string name = eventFileName(event).value();
  EXPECT_EQ(name, eventFileName(event).value());
  EXPECT_EQ(name.rfind("sched-daily-20261126T0100Z.", 0), 0u) << name;
  EXPECT_EQ(batchIdOfFileName(name), "sched-daily-20261126T0100Z");
  EXPECT_EQ(contentHash("a"), 0xaf63dc4c8601ec8cull) << "FNV-1a 64, the published vector";
}

TEST(LakeOutboxKeysTest, SinkSegmentsKeepSecretsOutOfKeys) {
  const std::string hook = sinkSegment("https://user:s3cret@hooks.example.com/rawfeed?token=abc");
  EXPECT_EQ(hook.find("s3cret"), std::string::npos) << hook;
  EXPECT_EQ(hook.find("abc"), std::string::npos) << hook;
  EXPECT_EQ(hook.rfind("https_hooks.example.com_rawfeed-", 0), 0u) << hook;
  EXPECT_EQ(sinkSegment("eventbridge://bus").rfind("eventbridge_bus-", 0), 0u);
  EXPECT_NE(sinkSegment("https://h/x?token=1"), sinkSegment("https://h/x?token=2"));
  EXPECT_LE(sinkSegment(std::string(300, 'a')).size(), 80u + 9u);
}

}  // namespace
}  // namespace rawfeed::events::lake_outbox
