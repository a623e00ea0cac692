// The pool against storage that cannot be written (issue 10: `rawfeed run` hung forever on a full
// state disk, logging "database or disk is full" once a second per thread): a draining pool
// stops with the cause, acknowledges nothing it could not land, and a pool that works forever
// keeps trying.
#include "pipeline/worker_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include "unit/pipeline/worker_fixture.h"

namespace rawfeed::pipeline {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class WorkerPoolTest : public testing::WorkerFixture {
 protected:
  // Six symbols in three chunk messages on `queue_`.
  void orchestrate() {
    orchestrateOnto(queue_, {"A", "B", "C", "D", "E", "F"},
                    fakes::BatchRequestBuilder("batch-1", "2024-01-05").build());
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

  // Every call of `queue_` fails from now on, as SQLite's do on a full disk.
  void breakQueue() {
    queue_.failAll(core::makeError(core::ErrorCode::kInternal, "sqlite: database or disk is full"));
  }
};

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
  breakQueue();
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
    source_.script(symbol,
                   {testing::ScriptedSource::ok({testing::day("2024-01-05", 1704465000, "1")})});
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

// The last delivery of a run ends it: the consumer that acknowledged it finds the queue empty
// and stops the pool, rather than a poll having to come back empty first.
TEST_F(WorkerPoolTest, ADrainingPoolStopsRightAfterItsLastDelivery) {
  orchestrate();
  for (const char* symbol : {"A", "B", "C", "D", "E", "F"})
    source_.script(symbol,
                   {testing::ScriptedSource::ok({testing::day("2024-01-05", 1704465000, "1")})});
  WorkerPoolOptions o = options(true);
  o.concurrency = 1;
  o.messages_per_delivery = 10;  // all three messages in one delivery, short of the maximum
  WorkerPool pool(queue_, *worker_, clock_, logger_, o);
  pool.start();
  pool.join();
  EXPECT_TRUE(pool.drained());
  EXPECT_FALSE(pool.fatalError().has_value());
  EXPECT_EQ(queue_.deleted(), 3);
  EXPECT_EQ(queue_.receives(), 1) << "no empty poll after the last delivery";
}

// A queue whose empty receives wait out their long poll, as SQS's and SQLite's do, unless
// interruptReceives() cuts them short.
class LongPollingQueue final : public queue::Queue {
 public:
  explicit LongPollingQueue(queue::Queue& inner) : inner_(inner) {}
  core::Result<queue::SendBatchResult> sendBatch(
      std::span<const queue::OutgoingMessage> messages) override {
    return inner_.sendBatch(messages);
  }
  core::Result<std::vector<queue::ReceivedMessage>> receive(
      const queue::ReceiveOptions& options) override {
    std::unique_lock lock(mutex_);
    const auto interrupts = interrupts_;
    lock.unlock();
    auto received = inner_.receive(options);
    if (!received.ok() || !received->empty())
      return received;
    lock.lock();
    changed_.wait_for(lock, options.wait, [&] { return interrupts_ != interrupts; });
    return received;
  }
  void interruptReceives() override {
    {
      std::lock_guard lock(mutex_);
      ++interrupts_;
    }
    changed_.notify_all();
  }
  core::Result<std::vector<queue::EntryFailure>> deleteBatch(
      std::span<const std::string> receipts) override {
    return inner_.deleteBatch(receipts);
  }
  core::Status changeVisibility(const std::string& receipt, std::chrono::seconds timeout) override {
    return inner_.changeVisibility(receipt, timeout);
  }
  core::Result<queue::QueueStats> stats() override { return inner_.stats(); }
  core::Result<std::vector<queue::DeadLetter>> listDeadLetters(int limit) override {
    return inner_.listDeadLetters(limit);
  }
  core::Result<int> redrive(std::span<const std::string> ids) override {
    return inner_.redrive(ids);
  }
  core::Result<int> purgeDeadLetters(std::span<const std::string> ids) override {
    return inner_.purgeDeadLetters(ids);
  }

 private:
  queue::Queue& inner_;
  std::mutex mutex_;  // guards interrupts_
  std::condition_variable changed_;
  int interrupts_ = 0;
};

// The consumer that acknowledges the run's last delivery stops the pool, and the others, idle in
// a long poll, are cut short rather than waited out: join() returns in far less than the poll.
TEST_F(WorkerPoolTest, AStoppingPoolCutsItsIdleConsumersPollsShort) {
  orchestrate();
  for (const char* symbol : {"A", "B", "C", "D", "E", "F"})
    source_.script(symbol,
                   {testing::ScriptedSource::ok({testing::day("2024-01-05", 1704465000, "1")})});
  LongPollingQueue queue(queue_);
  WorkerPoolOptions o = options(true);
  o.concurrency = 4;
  o.messages_per_delivery = 10;  // one consumer takes all three, short of the maximum
  o.poll_wait = seconds(20);
  WorkerPool pool(queue, *worker_, clock_, logger_, o);
  const auto started = std::chrono::steady_clock::now();
  pool.start();
  pool.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(5));
  EXPECT_TRUE(pool.drained());
  EXPECT_EQ(queue_.deleted(), 3);
}

TEST_F(WorkerPoolTest, APoolWorkingForeverKeepsTryingThroughAFullDisk) {
  breakQueue();
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
