// The pool against storage that cannot be written (issue 10: `rawfeed run` hung forever on a full
// state disk, logging "database or disk is full" once a second per thread): a draining pool
// stops with the cause, acknowledges nothing it could not land, and a pool that works forever
// keeps trying.
#include "pipeline/worker_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <limits>
#include <thread>

#include "contract/temp_dir.h"
#include "observe/metrics_registry.h"
#include "pipeline/orchestrator.h"
#include "support/fakes/batch_request_builder.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/in_memory_object_store.h"
#include "tracker/sqlite/sqlite_batch_tracker.h"
#include "unit/pipeline/fakes.h"

namespace rawfeed::pipeline {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A queue of messages kept in memory: receive hands out the visible ones, delete removes them,
// changeVisibility puts them back at once. Or, when `broken`, every call fails like SQLite on a
// full disk.
class MemoryQueue final : public queue::Queue {
 public:
  core::Result<queue::SendBatchResult> sendBatch(
      std::span<const queue::OutgoingMessage> messages) override {
    std::lock_guard lock(mutex_);
    queue::SendBatchResult result;
    for (const auto& message : messages) {
      queue::ReceivedMessage received;
      received.message_id = "m" + std::to_string(next_++);
      received.receipt_handle = received.message_id;
      received.body = message.body;
      visible_.push_back(received);
      result.sent_ids.push_back(message.id);
    }
    return result;
  }
  core::Result<std::vector<queue::ReceivedMessage>> receive(
      const queue::ReceiveOptions& options) override {
    std::lock_guard lock(mutex_);
    ++receives_;
    if (broken_)
      return full();
    std::vector<queue::ReceivedMessage> out;
    while (!visible_.empty() && static_cast<int>(out.size()) < options.max_messages) {
      auto message = visible_.front();
      visible_.pop_front();
      ++message.receive_count;
      in_flight_.push_back(message);
      out.push_back(message);
    }
    return out;
  }
  core::Result<std::vector<queue::EntryFailure>> deleteBatch(
      std::span<const std::string> receipts) override {
    std::lock_guard lock(mutex_);
    if (broken_)
      return full();
    for (const auto& receipt : receipts) {
      std::erase_if(in_flight_, [&](const auto& m) { return m.receipt_handle == receipt; });
      ++deleted_;
    }
    return std::vector<queue::EntryFailure>{};
  }
  core::Status changeVisibility(const std::string& receipt, std::chrono::seconds) override {
    std::lock_guard lock(mutex_);
    if (broken_)
      return full();
    for (auto it = in_flight_.begin(); it != in_flight_.end(); ++it) {
      if (it->receipt_handle == receipt) {
        visible_.push_back(*it);
        in_flight_.erase(it);
        break;
      }
    }
    return core::okStatus();
  }
  core::Result<queue::QueueStats> stats() override {
    std::lock_guard lock(mutex_);
    if (broken_)
      return full();
    queue::QueueStats stats;
    stats.visible = static_cast<std::int64_t>(visible_.size());
    stats.in_flight = static_cast<std::int64_t>(in_flight_.size());
    return stats;
  }
  core::Result<std::vector<queue::DeadLetter>> listDeadLetters(int) override {
    return std::vector<queue::DeadLetter>{};
  }
  core::Result<int> redrive(std::span<const std::string>) override { return 0; }
  core::Result<int> purgeDeadLetters(std::span<const std::string>) override { return 0; }

  void breakIt() {
    std::lock_guard lock(mutex_);
    broken_ = true;
  }
  int receives() {
    std::lock_guard lock(mutex_);
    return receives_;
  }
  int deleted() {
    std::lock_guard lock(mutex_);
    return deleted_;
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return visible_.size() + in_flight_.size();
  }

 private:
  static core::Error full() {
    return core::makeError(core::ErrorCode::kInternal, "sqlite: database or disk is full");
  }
  std::mutex mutex_;  // guards everything below
  std::deque<queue::ReceivedMessage> visible_;
  std::vector<queue::ReceivedMessage> in_flight_;
  bool broken_ = false;
  int next_ = 0;
  int receives_ = 0;
  int deleted_ = 0;
};

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = tracker::sqlite::SqliteBatchTracker::open({dir_.path() / "tracker.db"});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    tracker_ = std::move(opened).value();
    finalizer_ = std::make_unique<BatchFinalizer>(store_, *tracker_, events_, "test", clock_);
    worker_ = std::make_unique<Worker>(source_, store_, *tracker_, *finalizer_, metrics_, logger_,
                                       clock_, WorkerOptions{3});
  }
  // Six symbols in three chunk messages on `queue_`.
  void orchestrate() {
    const BatchRequest r = fakes::BatchRequestBuilder("batch-1", "2024-01-05").build();
    Orchestrator orchestrator(queue_, *tracker_, clock_, {2, 10});
    ASSERT_TRUE(orchestrator.orchestrate(r, {"A", "B", "C", "D", "E", "F"}).ok());
  }
  WorkerPoolOptions options(bool until_drained) {
    WorkerPoolOptions o;
    o.concurrency = 2;
    o.messages_per_delivery = 1;
    o.until_drained = until_drained;
    o.max_receives = 5;
    o.redelivery_backoff = seconds(0);
    return o;
  }

  contract::TempDir dir_;
  fakes::FakeClock clock_;
  fakes::InMemoryObjectStore store_;
  testing::RecordingEventSink events_;
  testing::ScriptedSource source_;
  observe::MetricsRegistry registry_;
  observe::DomainMetrics metrics_{registry_, "customer-data"};
  observe::NullLogger logger_;
  MemoryQueue queue_;
  std::unique_ptr<tracker::BatchTracker> tracker_;
  std::unique_ptr<BatchFinalizer> finalizer_;
  std::unique_ptr<Worker> worker_;
};

core::DayRecords bar() {
  core::Record record;
  record.timestamp = 1704465000;
  record.open = record.high = record.low = record.close = std::string("1");
  record.volume = "1";
  return {"2024-01-05", {record}};
}

// A failed delivery comes back after base × 2^(receives − 1), capped; a receive count a hostile
// or broken queue reports (0, negative, INT_MIN, INT_MAX) neither overflows nor goes below base.
TEST(RedeliveryDelayTest, DoublesPerReceiveWithinBaseAndCapWhateverTheCount) {
  const seconds base(2), cap(300);
  EXPECT_EQ(redeliveryDelay(1, base, cap), seconds(2));
  EXPECT_EQ(redeliveryDelay(2, base, cap), seconds(4));
  EXPECT_EQ(redeliveryDelay(5, base, cap), seconds(32));
  EXPECT_EQ(redeliveryDelay(9, base, cap), cap);
  for (const int odd : {0, -1, std::numeric_limits<int>::min()})
    EXPECT_EQ(redeliveryDelay(odd, base, cap), base) << odd;
  EXPECT_EQ(redeliveryDelay(std::numeric_limits<int>::max(), base, cap), cap);
}

TEST_F(WorkerPoolTest, AQueueThatCannotBeWrittenStopsADrainingPoolWithTheCause) {
  queue_.breakIt();
  WorkerPool pool(queue_, *worker_, clock_, logger_, options(true));
  const auto started = std::chrono::steady_clock::now();
  pool.start();
  pool.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));
  ASSERT_TRUE(pool.fatalError().has_value());
  EXPECT_NE(pool.fatalError()->message.find("queue cannot be written"), std::string::npos);
  EXPECT_NE(pool.fatalError()->message.find("disk is full"), std::string::npos);
  EXPECT_FALSE(pool.drained());
}

TEST_F(WorkerPoolTest, ALakeThatCannotBeWrittenStopsItAndNothingIsAcknowledgedOrDeadLettered) {
  orchestrate();
  for (const char* symbol : {"A", "B", "C", "D", "E", "F"})
    source_.script(symbol, {testing::ScriptedSource::ok({bar()})});
  store_.failPuts("", core::makeError(core::ErrorCode::kInternal, "disk full (fake)"));
  WorkerPool pool(queue_, *worker_, clock_, logger_, options(true));
  pool.start();
  pool.join();
  ASSERT_TRUE(pool.fatalError().has_value());
  EXPECT_NE(pool.fatalError()->message.find("disk full"), std::string::npos);
  EXPECT_EQ(queue_.deleted(), 0);  // every message is still there, to come back
  EXPECT_EQ(queue_.held(), 3u);
  EXPECT_EQ(metrics_.messages_dead_lettered.value(), 0);
}

TEST_F(WorkerPoolTest, APoolWorkingForeverKeepsTryingThroughAFullDisk) {
  queue_.breakIt();
  WorkerPool pool(queue_, *worker_, clock_, logger_, options(false));
  pool.start();
  std::this_thread::sleep_for(milliseconds(3500));
  EXPECT_FALSE(pool.fatalError().has_value());
  EXPECT_GE(queue_.receives(), 4);  // still receiving, once a second per thread
  pool.requestStop();
  pool.join();
}

}  // namespace
}  // namespace rawfeed::pipeline
