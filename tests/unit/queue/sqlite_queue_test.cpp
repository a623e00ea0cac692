#include "queue/sqlite/sqlite_queue.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <future>
#include <thread>

#include "contract/temp_dir.h"
#include "support/fakes/fake_clock.h"

namespace rawfeed::queue::sqlite {
namespace {

using contract::TempDir;
using core::ErrorCode;
using fakes::FakeClock;
using namespace std::chrono_literals;

SqliteQueueOptions optionsIn(const TempDir& dir, const std::string& name = "prices") {
  SqliteQueueOptions options;
  options.db_path = dir.path() / "queues" / "equities.db";
  options.queue_name = name;
  return options;
}

std::unique_ptr<SqliteQueue> openOk(const SqliteQueueOptions& options, const core::Clock& clock) {
  auto opened = SqliteQueue::open(options, clock);
  EXPECT_TRUE(opened.ok()) << opened.error().describe();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

std::vector<ReceivedMessage> receiveNow(Queue& queue, int count = 10) {
  auto received = queue.receive(ReceiveOptions{count, 0ms, std::nullopt});
  EXPECT_TRUE(received.ok()) << received.error().describe();
  return received.ok() ? received.value() : std::vector<ReceivedMessage>{};
}

void sendOne(Queue& queue, const std::string& body) {
  std::vector<OutgoingMessage> batch{{"e", body, 0s}};
  auto sent = queue.sendBatch(batch);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  ASSERT_EQ(sent->sent_ids.size(), 1u);
}

TEST(SqliteQueue, OpenRejectsOptionsThatBreakARuleAndNamesIt) {
  TempDir dir;
  FakeClock clock;
  struct Case {
    std::function<void(SqliteQueueOptions&)> change;
    const char* named;
  };
  const std::vector<Case> cases = {
      {[](auto& o) { o.queue_name.clear(); }, "queue_name"},
      {[](auto& o) { o.db_path.clear(); }, "db_path"},
      {[](auto& o) { o.max_receives = 0; }, "max_receives"},
      {[](auto& o) { o.retention = 10s; }, "retention"},
      {[](auto& o) { o.dlq_retention = std::chrono::hours(24 * 15); }, "dlq_retention"},
      {[](auto& o) { o.visibility_timeout = 43201s; }, "visibility"},
  };
  for (const auto& c : cases) {
    auto options = optionsIn(dir);
    c.change(options);
    auto opened = SqliteQueue::open(options, clock);
    ASSERT_FALSE(opened.ok()) << c.named;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(opened.error().message.find(c.named), std::string::npos) << opened.error().message;
  }
  EXPECT_FALSE(std::filesystem::exists(optionsIn(dir).db_path)) << "nothing was created";
}

TEST(SqliteQueue, MessagesSurviveReopeningTheFile) {
  TempDir dir;
  FakeClock clock;
  const auto options = optionsIn(dir);
  {
    auto queue = openOk(options, clock);
    sendOne(*queue, "kept");
    ASSERT_EQ(receiveNow(*queue).size(), 1u);
  }
  clock.advance(options.visibility_timeout);
  auto reopened = openOk(options, clock);
  auto received = receiveNow(*reopened);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "kept");
  EXPECT_EQ(received[0].receive_count, 2);
}

TEST(SqliteQueue, QueuesSharingAFileAreSeparate) {
  TempDir dir;
  FakeClock clock;
  auto prices = openOk(optionsIn(dir, "prices"), clock);
  auto dividends = openOk(optionsIn(dir, "dividends"), clock);
  sendOne(*prices, "p");
  EXPECT_TRUE(receiveNow(*dividends).empty());
  auto received = receiveNow(*prices);
  ASSERT_EQ(received.size(), 1u);
  // A handle of one queue does not delete in another.
  auto failed = dividends->deleteBatch(std::vector<std::string>{received[0].receipt_handle});
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(prices->stats()->in_flight, 1);
}

// Receives until the message is dead-lettered.
void deadLetterOne(Queue& queue, FakeClock& clock, const SqliteQueueOptions& options) {
  for (int i = 0; i < options.max_receives; ++i) {
    ASSERT_EQ(receiveNow(queue).size(), 1u);
    clock.advance(options.visibility_timeout);
  }
  ASSERT_TRUE(receiveNow(queue).empty());
  ASSERT_EQ(queue.stats()->dead_letters, 1);
}

TEST(SqliteQueue, DeadLettersExpireByTheDlqRetentionCountedFromSending) {
  TempDir dir;
  FakeClock clock;
  auto options = optionsIn(dir);
  options.retention = std::chrono::hours(1);
  options.dlq_retention = std::chrono::hours(48);
  auto queue = openOk(options, clock);
  sendOne(*queue, "poison");
  deadLetterOne(*queue, clock, options);
  clock.advance(std::chrono::hours(47));
  EXPECT_EQ(queue->stats()->dead_letters, 1) << "the queue's 1 h does not apply to the DLQ";
  clock.advance(std::chrono::hours(1));
  EXPECT_EQ(queue->stats()->dead_letters, 0);
  EXPECT_TRUE(queue->listDeadLetters(10)->empty());
}

TEST(SqliteQueue, RedriveSendsTheMessageAfresh) {
  TempDir dir;
  FakeClock clock;
  const auto options = optionsIn(dir);
  auto queue = openOk(options, clock);
  sendOne(*queue, "poison");
  const auto sent_at = clock.now();
  deadLetterOne(*queue, clock, options);
  auto letters = queue->listDeadLetters(1);
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].sent_at, sent_at);
  EXPECT_EQ((*letters)[0].dead_lettered_at, clock.now());
  ASSERT_EQ(*queue->redrive(std::vector<std::string>{(*letters)[0].message_id}), 1);
  auto received = receiveNow(*queue);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].message_id, (*letters)[0].message_id);
  EXPECT_EQ(received[0].sent_at, clock.now()) << "retention starts again";
}

TEST(SqliteQueue, ASendInThisProcessWakesALongPollOfAnotherInstance) {
  TempDir dir;
  FakeClock clock;
  auto options = optionsIn(dir);
  options.poll_interval = 20s;  // so only the in-process signal can end the wait early
  auto worker = openOk(options, clock);
  auto orchestrator = openOk(options, clock);
  auto waiting = std::async(std::launch::async, [&] {
    const auto start = std::chrono::steady_clock::now();
    auto received = worker->receive(ReceiveOptions{1, 15s, std::nullopt});
    return std::pair{std::move(received), std::chrono::steady_clock::now() - start};
  });
  sendOne(*orchestrator, "wake");
  auto [received, took] = waiting.get();
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  EXPECT_LT(took, 5s);
}

// A stopping consumer pool cuts its idle consumers' polls short: they return empty-handed at
// once, and a poll of another instance on the same file is not cut short with them.
TEST(SqliteQueue, InterruptReceivesEndsThisInstancesLongPollsOnly) {
  TempDir dir;
  FakeClock clock;
  auto options = optionsIn(dir);
  options.poll_interval = 20s;
  auto stopping = openOk(options, clock);
  auto other = openOk(options, clock);
  const auto poll = [](Queue& queue) {
    return std::async(std::launch::async, [&queue] {
      const auto start = std::chrono::steady_clock::now();
      auto received = queue.receive(ReceiveOptions{1, 3s, std::nullopt});
      return std::pair{std::move(received), std::chrono::steady_clock::now() - start};
    });
  };
  auto first = poll(*stopping);
  auto second = poll(*stopping);
  auto unrelated = poll(*other);
  std::this_thread::sleep_for(200ms);  // all three are waiting
  stopping->interruptReceives();
  for (auto* cut : {&first, &second}) {
    auto [received, took] = cut->get();
    ASSERT_TRUE(received.ok()) << received.error().describe();
    EXPECT_TRUE(received->empty());
    EXPECT_LT(took, 2500ms);
  }
  auto [received, took] = unrelated.get();
  ASSERT_TRUE(received.ok());
  EXPECT_GE(took, 2900ms) << "another instance's poll waits out its own wait";
  // A receive begun after the interrupt waits as usual, and a send still wakes it.
  auto later = poll(*stopping);
  std::this_thread::sleep_for(200ms);
  sendOne(*other, "after");
  auto [after, after_took] = later.get();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 1u);
}

// Not a benchmark, a guard: the pipeline pushes ~1,600 messages through a domain's queue in a
// few seconds on 2 cores, with an fsync per call.
TEST(SqliteQueue, MovesSixteenHundredMessagesThroughSendReceiveDelete) {
  TempDir dir;
  FakeClock clock;
  auto queue = openOk(optionsIn(dir), clock);
  constexpr int kMessages = 1600;
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kMessages / 10; ++b) {
    std::vector<OutgoingMessage> batch;
    for (int i = 0; i < 10; ++i) {
      batch.push_back({fmt::format("e{}", i), fmt::format(R"({{"chunk_index":{}}})", b * 10 + i)});
    }
    auto sent = queue->sendBatch(batch);
    ASSERT_TRUE(sent.ok() && sent->failed.empty());
  }
  const auto sent_at = std::chrono::steady_clock::now();
  int done = 0;
  for (;;) {
    auto received = receiveNow(*queue);
    if (received.empty()) {
      break;
    }
    std::vector<std::string> handles;
    for (const auto& message : received) {
      handles.push_back(message.receipt_handle);
    }
    auto failed = queue->deleteBatch(handles);
    ASSERT_TRUE(failed.ok() && failed->empty());
    done += static_cast<int>(received.size());
  }
  const auto end = std::chrono::steady_clock::now();
  EXPECT_EQ(done, kMessages);
  const double seconds = std::chrono::duration<double>(end - start).count();
  std::printf("send %.0f ms, receive+delete %.0f ms, %.0f messages/s end to end\n",
              std::chrono::duration<double, std::milli>(sent_at - start).count(),
              std::chrono::duration<double, std::milli>(end - sent_at).count(),
              kMessages / seconds);
  EXPECT_LT(seconds, 20.0);
}

}  // namespace
}  // namespace rawfeed::queue::sqlite
