#include "events/outbox/outbox_event_sink.h"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <mutex>

#include "contract/temp_dir.h"
#include "events/jsonl/jsonl_event_sink.h"
#include "unit/events/flaky_sink.h"
#include "unit/events/testing_support.h"

namespace rawfeed::events::outbox {
namespace {

using contract::TempDir;
using testing::completionEvent;
using testing::FlakySink;

class OutboxTest : public ::testing::Test {
 protected:
  OutboxOptions options() const {
    return {dir_.path() / "events" / "completion.jsonl",
            dir_.path() / "events" / "delivered" / "eventbridge___bus.jsonl", "eventbridge://bus"};
  }
  // An outbox over a FlakySink this test keeps a pointer to (the outbox owns it).
  std::unique_ptr<OutboxEventSink> openOutbox(FlakySink*& sink) {
    auto owned = std::make_unique<FlakySink>();
    sink = owned.get();
    auto outbox = OutboxEventSink::open(options(), std::move(owned), logger_);
    EXPECT_TRUE(outbox.ok()) << outbox.error().message;
    return std::move(outbox).value();
  }
  std::vector<std::string> logged() const { return jsonl::readEvents(options().log_path).value(); }

  TempDir dir_;
  observe::NullLogger logger_;
};

TEST_F(OutboxTest, RecordsTheEventLocallyThenDeliversItOnce) {
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  const std::string a = completionEvent("b-a");
  const std::string b = completionEvent("b-b");
  ASSERT_TRUE(outbox->publish(a).ok());
  ASSERT_TRUE(outbox->publish(b).ok());
  EXPECT_EQ(logged(), (std::vector<std::string>{a, b}));
  EXPECT_EQ(sink->received(), (std::vector<std::string>{a, b}));
  EXPECT_EQ(outbox->lastReport().pending, 0);
  EXPECT_EQ(outbox->deliverPending().delivered, 0) << "nothing is sent twice";
  EXPECT_EQ(sink->received().size(), 2u);
  EXPECT_EQ(outbox->pendingCount().value(), 0);
}

TEST_F(OutboxTest, AFailingSinkKeepsTheEventPendingUntilItRecoversThenDeliversItOnce) {
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  const std::string event = completionEvent("b-1");
  sink->failNext(core::ErrorCode::kTransient);
  // Recorded: publish succeeds, so the batch is finalised, and the event waits in the outbox.
  ASSERT_TRUE(outbox->publish(event).ok());
  EXPECT_EQ(logged(), std::vector<std::string>{event});
  EXPECT_TRUE(sink->received().empty());
  const auto failed = outbox->lastReport();
  EXPECT_EQ(failed.pending, 1);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, core::ErrorCode::kTransient);
  EXPECT_EQ(outbox->pendingCount().value(), 1);

  const auto recovered = outbox->deliverPending();
  EXPECT_EQ(recovered.delivered, 1);
  EXPECT_EQ(recovered.pending, 0);
  EXPECT_FALSE(recovered.error.has_value());
  EXPECT_EQ(sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(outbox->deliverPending().delivered, 0);
  EXPECT_EQ(sink->received().size(), 1u);
}

TEST_F(OutboxTest, AnotherProcessDeliversWhatAStoppedOneLeftPending) {
  const std::string event = completionEvent("b-1");
  {
    FlakySink* sink = nullptr;
    auto outbox = openOutbox(sink);
    sink->failNext(core::ErrorCode::kUnauthenticated);
    ASSERT_TRUE(outbox->publish(event).ok());
    EXPECT_TRUE(sink->received().empty());
  }  // the process stops with the event pending
  FlakySink* sink = nullptr;
  auto restarted = openOutbox(sink);
  EXPECT_EQ(restarted->pendingCount().value(), 1);
  EXPECT_EQ(restarted->deliverPending().delivered, 1);
  EXPECT_EQ(sink->received(), std::vector<std::string>{event});
}

TEST_F(OutboxTest, ASinkThatIsDownEndsThePassButAnEventItRefusesDoesNotHoldBackOthers) {
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  const std::string first = completionEvent("b-1");
  const std::string second = completionEvent("b-2");
  const std::string third = completionEvent("b-3");
  sink->failNext(core::ErrorCode::kThrottled);
  ASSERT_TRUE(outbox->publish(first).ok());
  // The sink is still down: the pass tries the oldest event and stops.
  sink->failNext(core::ErrorCode::kTransient);
  ASSERT_TRUE(outbox->publish(second).ok());
  EXPECT_EQ(outbox->lastReport().pending, 2);
  EXPECT_EQ(sink->attempts(), 2) << "one attempt per pass while the sink is down";

  // Back up, but it refuses b-2 itself: b-1 and b-3 go, b-2 stays pending.
  sink->refuseEventsContaining("\"b-2\"");
  ASSERT_TRUE(outbox->publish(third).ok());
  EXPECT_EQ(sink->received(), (std::vector<std::string>{first, third}));
  const auto report = outbox->lastReport();
  EXPECT_EQ(report.pending, 1);
  ASSERT_TRUE(report.error.has_value());
  EXPECT_EQ(report.error->code, core::ErrorCode::kInvalidInput);

  sink->refuseEventsContaining("");
  EXPECT_EQ(outbox->deliverPending().delivered, 1);
  EXPECT_EQ(sink->received(), (std::vector<std::string>{first, third, second}));
}

TEST_F(OutboxTest, EventsLoggedBeforeTheSinkWasConfiguredAreNotSentToIt) {
  const std::string old_event = completionEvent("b-old");
  ASSERT_TRUE(jsonl::JsonlEventSink(options().log_path).publish(old_event).ok());
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  EXPECT_EQ(outbox->pendingCount().value(), 0);
  const std::string event = completionEvent("b-new");
  ASSERT_TRUE(outbox->publish(event).ok());
  EXPECT_EQ(sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(logged(), (std::vector<std::string>{old_event, event}));
}

TEST_F(OutboxTest, TheSameEventLoggedTwiceIsDeliveredOnce) {
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  const std::string event = completionEvent("b-1");
  sink->failNext(core::ErrorCode::kTransient);
  ASSERT_TRUE(outbox->publish(event).ok());
  ASSERT_TRUE(outbox->publish(event).ok());  // a finalize retried by a redelivered chunk
  EXPECT_EQ(logged().size(), 2u);
  EXPECT_EQ(sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(outbox->deliverPending().delivered, 0);
}

TEST_F(OutboxTest, AReplacedLogNeverMakesANewEventLookDelivered) {
  // The sink was configured when the log already held two long events...
  jsonl::JsonlEventSink old_log(options().log_path);
  ASSERT_TRUE(old_log.publish(completionEvent("b-old-1-" + std::string(200, 'x'))).ok());
  ASSERT_TRUE(old_log.publish(completionEvent("b-old-2-" + std::string(200, 'x'))).ok());
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  // ...then the log was rotated away: the new event starts below the ledger's mark.
  std::filesystem::remove(options().log_path);
  const std::string event = completionEvent("b-new");
  ASSERT_TRUE(outbox->publish(event).ok());
  EXPECT_EQ(sink->received(), std::vector<std::string>{event});
  EXPECT_EQ(outbox->lastReport().pending, 0);
}

TEST_F(OutboxTest, ALogThatCannotBeWrittenIsAnErrorAndNothingIsSent) {
  FlakySink* sink = nullptr;
  auto outbox = openOutbox(sink);
  const auto status = outbox->publish("{\"a\":\n1}");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(sink->attempts(), 0);
}

}  // namespace
}  // namespace rawfeed::events::outbox
