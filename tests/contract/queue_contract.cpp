#include "contract/queue_contract.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <set>
#include <thread>

#include <fmt/format.h>

namespace rawfeed::contract {
namespace {

using core::ErrorCode;
using queue::OutgoingMessage;
using queue::ReceiveOptions;
using namespace std::chrono_literals;

// Built with fmt: GCC 12 at -O3 warns falsely (-Wrestrict) on "a" + std::to_string(i) + "b".
std::string numbered(std::string_view prefix, int i) {
  return fmt::format("{}{}", prefix, i);
}

std::vector<OutgoingMessage> messages(int count, const std::string& prefix = "m") {
  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < count; ++i) {
    batch.push_back({numbered(prefix, i), numbered("body-" + prefix, i), 0s});
  }
  return batch;
}

ReceiveOptions upTo(int count) {
  return ReceiveOptions{count, 0ms, std::nullopt};
}

// Fails the test (not only the helper) through the caller's ASSERT on the returned value.
std::vector<queue::ReceivedMessage> receiveAll(queue::Queue& q, int count = 10) {
  auto received = q.receive(upTo(count));
  EXPECT_TRUE(received.ok()) << received.error().describe();
  return received.ok() ? received.value() : std::vector<queue::ReceivedMessage>{};
}

queue::QueueStats statsOf(queue::Queue& q) {
  auto stats = q.stats();
  EXPECT_TRUE(stats.ok()) << stats.error().describe();
  return stats.ok() ? stats.value() : queue::QueueStats{};
}

void sendOk(queue::Queue& q, const std::vector<OutgoingMessage>& batch) {
  auto sent = q.sendBatch(batch);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  ASSERT_TRUE(sent->failed.empty()) << sent->failed.front().error.describe();
  ASSERT_EQ(sent->sent_ids.size(), batch.size());
}

TEST_P(QueueContractTest, SendReceiveDeleteRoundTrip) {
  sendOk(queue(), messages(3));
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 3u);
  std::set<std::string> bodies;
  std::vector<std::string> handles;
  for (const auto& message : received) {
    bodies.insert(message.body);
    handles.push_back(message.receipt_handle);
    EXPECT_EQ(message.receive_count, 1);
    EXPECT_FALSE(message.message_id.empty());
  }
  EXPECT_EQ(bodies, (std::set<std::string>{"body-m0", "body-m1", "body-m2"}));
  auto failed = queue().deleteBatch(handles);
  ASSERT_TRUE(failed.ok()) << failed.error().describe();
  EXPECT_TRUE(failed->empty());
  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.visible + stats.in_flight + stats.delayed, 0);
}

TEST_P(QueueContractTest, SendBatchOfMoreThanTenIsRejectedWhole) {
  auto sent = queue().sendBatch(messages(11));
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(sent.error().message.find("11"), std::string::npos) << sent.error().message;
  EXPECT_EQ(statsOf(queue()).visible, 0);
}

TEST_P(QueueContractTest, EmptySendBatchIsRejected) {
  auto sent = queue().sendBatch({});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidInput);
}

TEST_P(QueueContractTest, DuplicateEntryIdsAreRejectedAndNothingIsSent) {
  auto batch = messages(3);
  batch[2].id = batch[0].id;
  auto sent = queue().sendBatch(batch);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(sent.error().message.find("'m0'"), std::string::npos) << sent.error().message;
  EXPECT_EQ(statsOf(queue()).visible, 0);
}

TEST_P(QueueContractTest, OversizedBodyFailsOnlyThatEntry) {
  std::vector<OutgoingMessage> batch = {{"small", "x", 0s},
                                        {"big", std::string(256 * 1024 + 1, 'x'), 0s},
                                        {"limit", std::string(256 * 1024, 'y'), 0s}};
  auto sent = queue().sendBatch(batch);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_EQ(sent->sent_ids, (std::vector<std::string>{"small", "limit"}));
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_EQ(sent->failed[0].id, "big");
  EXPECT_EQ(sent->failed[0].error.code, ErrorCode::kInvalidInput);
  EXPECT_EQ(statsOf(queue()).visible, 2);
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 2u);
  for (const auto& message : received) {
    EXPECT_TRUE(message.body == "x" || message.body == std::string(256 * 1024, 'y'));
  }
}

TEST_P(QueueContractTest, BadReceiveOptionsAreRejectedAndConsumeNothing) {
  sendOk(queue(), messages(1));
  for (const auto& options :
       {ReceiveOptions{0, 0ms, std::nullopt}, ReceiveOptions{11, 0ms, std::nullopt},
        ReceiveOptions{1, 21s, std::nullopt}, ReceiveOptions{1, -1ms, std::nullopt},
        ReceiveOptions{1, 0ms, std::chrono::seconds(-1)},
        ReceiveOptions{1, 0ms, std::chrono::seconds(43201)}}) {
    auto received = queue().receive(options);
    ASSERT_FALSE(received.ok());
    EXPECT_EQ(received.error().code, ErrorCode::kInvalidInput);
  }
  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.in_flight, 0);
}

TEST_P(QueueContractTest, ReceiveReturnsAtMostMaxMessages) {
  sendOk(queue(), messages(10));
  EXPECT_EQ(receiveAll(queue(), 4).size(), 4u);
  EXPECT_EQ(receiveAll(queue(), 10).size(), 6u);
  EXPECT_TRUE(receiveAll(queue(), 10).empty());
}

TEST_P(QueueContractTest, OrderFollowsSendOrder) {
  for (int i = 0; i < 3; ++i) {
    sendOk(queue(), messages(1, numbered("s", i)));
  }
  for (int i = 0; i < 3; ++i) {
    auto received = receiveAll(queue(), 1);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].body, fmt::format("body-s{}0", i));
  }
}

TEST_P(QueueContractTest, VisibilityExpiryRedeliversWithHigherReceiveCount) {
  sendOk(queue(), messages(1));
  auto first = receiveAll(queue());
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(receiveAll(queue()).empty()) << "hidden while in flight";
  if (!harness_->advance(harness_->defaultVisibility() - 1s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  EXPECT_TRUE(receiveAll(queue()).empty()) << "still hidden a second before expiry";
  ASSERT_TRUE(harness_->advance(1s));
  auto second = receiveAll(queue());
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].message_id, first[0].message_id);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_NE(second[0].receipt_handle, first[0].receipt_handle);
  EXPECT_EQ(second[0].sent_at, first[0].sent_at);
}

TEST_P(QueueContractTest, PerCallVisibilityOverridesTheDefault) {
  sendOk(queue(), messages(1));
  auto first = queue().receive(ReceiveOptions{1, 0ms, std::chrono::seconds(5)});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  if (!harness_->advance(5s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  EXPECT_EQ(receiveAll(queue()).size(), 1u);
}

TEST_P(QueueContractTest, StaleReceiptHandleIsRejectedAndChangesNothing) {
  sendOk(queue(), messages(1));
  auto first = receiveAll(queue());
  ASSERT_EQ(first.size(), 1u);
  if (!harness_->advance(harness_->defaultVisibility())) {
    GTEST_SKIP() << "backend runs on real time";
  }
  auto second = receiveAll(queue());
  ASSERT_EQ(second.size(), 1u);
  const std::string stale = first[0].receipt_handle;

  auto failed = queue().deleteBatch(std::vector<std::string>{stale});
  ASSERT_TRUE(failed.ok()) << failed.error().describe();
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].id, stale);
  EXPECT_EQ((*failed)[0].error.code, ErrorCode::kInvalidInput);
  EXPECT_NE((*failed)[0].error.message.find("stale"), std::string::npos);

  auto changed = queue().changeVisibility(stale, 0s);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(changed.error().message.find("stale"), std::string::npos);

  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.visible, 0);
  auto current = queue().deleteBatch(std::vector<std::string>{second[0].receipt_handle});
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->empty());
}

TEST_P(QueueContractTest, MalformedReceiptHandleIsRejected) {
  sendOk(queue(), messages(1));
  auto failed = queue().deleteBatch(std::vector<std::string>{"not-a-handle"});
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].error.code, ErrorCode::kInvalidInput);
  auto changed = queue().changeVisibility("not-a-handle", 10s);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(statsOf(queue()).visible, 1);
}

TEST_P(QueueContractTest, DeleteBatchLimitsAreCheckedBeforeAnythingIsDeleted) {
  sendOk(queue(), messages(10));
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 10u);
  std::vector<std::string> handles;
  for (const auto& message : received) {
    handles.push_back(message.receipt_handle);
  }
  auto too_many = handles;
  too_many.push_back(handles[0] + "x");
  auto duplicated = std::vector<std::string>{handles[0], handles[1], handles[0]};
  for (const auto& batch : {std::vector<std::string>{}, too_many, duplicated}) {
    auto failed = queue().deleteBatch(batch);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, ErrorCode::kInvalidInput);
  }
  EXPECT_EQ(statsOf(queue()).in_flight, 10);
}

TEST_P(QueueContractTest, DeleteBatchReportsOnlyTheFailedEntries) {
  sendOk(queue(), messages(2));
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 2u);
  auto failed = queue().deleteBatch(
      std::vector<std::string>{received[0].receipt_handle, "bogus", received[1].receipt_handle});
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].id, "bogus");
  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.in_flight + stats.visible, 0);
}

TEST_P(QueueContractTest, DeletingTwiceIsNotAnError) {
  sendOk(queue(), messages(1));
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 1u);
  const std::vector<std::string> handle{received[0].receipt_handle};
  auto first = queue().deleteBatch(handle);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  auto second = queue().deleteBatch(handle);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
}

TEST_P(QueueContractTest, ChangeVisibilityZeroReleasesAtOnce) {
  sendOk(queue(), messages(1));
  auto first = receiveAll(queue());
  ASSERT_EQ(first.size(), 1u);
  ASSERT_TRUE(queue().changeVisibility(first[0].receipt_handle, 0s).ok());
  auto again = receiveAll(queue());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_P(QueueContractTest, ChangeVisibilityExtendsAsAHeartbeat) {
  sendOk(queue(), messages(1));
  auto first = queue().receive(ReceiveOptions{1, 0ms, std::chrono::seconds(30)});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  if (!harness_->advance(20s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  ASSERT_TRUE(queue().changeVisibility((*first)[0].receipt_handle, 30s).ok());
  ASSERT_TRUE(harness_->advance(20s));
  EXPECT_TRUE(receiveAll(queue()).empty()) << "the heartbeat kept it hidden past 30 s";
  ASSERT_TRUE(harness_->advance(10s));
  EXPECT_EQ(receiveAll(queue()).size(), 1u);
}

TEST_P(QueueContractTest, ChangeVisibilityRejectsOutOfRangeTimeouts) {
  sendOk(queue(), messages(1));
  auto first = receiveAll(queue());
  ASSERT_EQ(first.size(), 1u);
  for (auto timeout : {-1s, 43201s}) {
    auto changed = queue().changeVisibility(first[0].receipt_handle, timeout);
    ASSERT_FALSE(changed.ok());
    EXPECT_EQ(changed.error().code, ErrorCode::kInvalidInput);
  }
  EXPECT_EQ(statsOf(queue()).in_flight, 1);
}

TEST_P(QueueContractTest, DelayedMessageAppearsAfterItsDelay) {
  std::vector<OutgoingMessage> batch = {{"late", "late", 60s}, {"now", "now", 0s}};
  sendOk(queue(), batch);
  auto stats = statsOf(queue());
  EXPECT_EQ(stats.delayed, 1);
  EXPECT_EQ(stats.visible, 1);
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "now");
  ASSERT_TRUE(queue().deleteBatch(std::vector<std::string>{received[0].receipt_handle}).ok());
  if (!harness_->advance(60s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  received = receiveAll(queue());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "late");
}

TEST_P(QueueContractTest, DelayAboveFifteenMinutesFailsThatEntry) {
  std::vector<OutgoingMessage> batch = {{"ok", "ok", 900s}, {"bad", "bad", 901s}};
  auto sent = queue().sendBatch(batch);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->sent_ids, std::vector<std::string>{"ok"});
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_EQ(sent->failed[0].id, "bad");
  EXPECT_EQ(statsOf(queue()).delayed, 1);
}

// Receives the one message max_receives times, letting each visibility lapse.
void exhaustReceives(QueueHarness& harness) {
  for (int i = 1; i <= harness.maxReceives(); ++i) {
    auto received = harness.queue().receive(ReceiveOptions{1, 0ms, std::nullopt});
    ASSERT_TRUE(received.ok());
    ASSERT_EQ(received->size(), 1u) << "receive " << i;
    EXPECT_EQ((*received)[0].receive_count, i);
    ASSERT_TRUE(harness.advance(harness.defaultVisibility()));
  }
}

TEST_P(QueueContractTest, MovesToDeadLettersAfterMaxReceives) {
  if (!harness_->advance(0s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  sendOk(queue(), {{"poison", "poison-body", 0s}});
  exhaustReceives(*harness_);
  EXPECT_TRUE(receiveAll(queue()).empty()) << "dead-lettered, not delivered";
  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.dead_letters, 1);
  EXPECT_EQ(stats.visible + stats.in_flight, 0);
  auto letters = queue().listDeadLetters(10);
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].body, "poison-body");
  EXPECT_EQ((*letters)[0].receive_count, harness_->maxReceives());
}

TEST_P(QueueContractTest, RedriveResetsTheReceiveCount) {
  if (!harness_->advance(0s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  sendOk(queue(), {{"poison", "poison-body", 0s}});
  exhaustReceives(*harness_);
  EXPECT_TRUE(receiveAll(queue()).empty());
  auto redriven = queue().redrive({});
  ASSERT_TRUE(redriven.ok()) << redriven.error().describe();
  EXPECT_EQ(*redriven, 1);
  EXPECT_EQ(statsOf(queue()).dead_letters, 0);
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "poison-body");
  EXPECT_EQ(received[0].receive_count, 1);
}

TEST_P(QueueContractTest, RedriveAndPurgeByIdTouchOnlyThoseAndRejectUnknownIds) {
  if (!harness_->advance(0s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  sendOk(queue(), messages(3));
  for (int i = 0; i < harness_->maxReceives(); ++i) {
    ASSERT_EQ(receiveAll(queue()).size(), 3u);
    ASSERT_TRUE(harness_->advance(harness_->defaultVisibility()));
  }
  EXPECT_TRUE(receiveAll(queue()).empty());
  auto letters = queue().listDeadLetters(10);
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 3u);

  const std::vector<std::string> unknown{(*letters)[0].message_id, "no-such-message"};
  auto rejected = queue().redrive(unknown);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, ErrorCode::kNotFound);
  EXPECT_NE(rejected.error().message.find("no-such-message"), std::string::npos);
  auto rejected_purge = queue().purgeDeadLetters(unknown);
  ASSERT_FALSE(rejected_purge.ok());
  EXPECT_EQ(rejected_purge.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(statsOf(queue()).dead_letters, 3) << "a rejected call changes nothing";

  auto redriven = queue().redrive(std::vector<std::string>{(*letters)[0].message_id});
  ASSERT_TRUE(redriven.ok());
  EXPECT_EQ(*redriven, 1);
  auto purged = queue().purgeDeadLetters(std::vector<std::string>{(*letters)[1].message_id});
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  auto stats = statsOf(queue());
  EXPECT_EQ(stats.dead_letters, 1);
  EXPECT_EQ(stats.visible, 1);
  auto rest = queue().purgeDeadLetters({});
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, 1);
  EXPECT_EQ(statsOf(queue()).dead_letters, 0);
}

TEST_P(QueueContractTest, ListDeadLettersRejectsANonPositiveLimit) {
  auto letters = queue().listDeadLetters(0);
  ASSERT_FALSE(letters.ok());
  EXPECT_EQ(letters.error().code, ErrorCode::kInvalidInput);
}

TEST_P(QueueContractTest, RetentionDropsExpiredMessages) {
  sendOk(queue(), messages(2));
  if (!harness_->advance(harness_->retention() - 1s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  sendOk(queue(), messages(1, "young"));
  EXPECT_EQ(statsOf(queue()).visible, 3);
  ASSERT_TRUE(harness_->advance(1s));
  EXPECT_EQ(statsOf(queue()).visible, 1);
  auto received = receiveAll(queue());
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "body-young0");
}

TEST_P(QueueContractTest, StatsCountEachStateAndTheOldestAge) {
  if (!harness_->advance(0s)) {
    GTEST_SKIP() << "backend runs on real time";
  }
  sendOk(queue(), messages(2));
  ASSERT_TRUE(harness_->advance(3s));
  sendOk(queue(), {{"later", "later", 120s}});
  ASSERT_EQ(receiveAll(queue(), 1).size(), 1u);
  ASSERT_TRUE(harness_->advance(4s));
  const auto stats = statsOf(queue());
  EXPECT_EQ(stats.visible, 1);
  EXPECT_EQ(stats.in_flight, 1);
  EXPECT_EQ(stats.delayed, 1);
  EXPECT_EQ(stats.dead_letters, 0);
  ASSERT_TRUE(stats.oldest_age_seconds.has_value());
  EXPECT_DOUBLE_EQ(*stats.oldest_age_seconds, 7.0);
}

TEST_P(QueueContractTest, LongPollReturnsEarlyWhenAnotherThreadSends) {
  auto waiting = std::async(std::launch::async, [&] {
    const auto start = std::chrono::steady_clock::now();
    auto received = queue().receive(ReceiveOptions{1, 10s, std::nullopt});
    return std::pair{std::move(received), std::chrono::steady_clock::now() - start};
  });
  sendOk(queue(), messages(1));
  auto [received, took] = waiting.get();
  ASSERT_TRUE(received.ok()) << received.error().describe();
  ASSERT_EQ(received->size(), 1u);
  EXPECT_LT(took, 5s);
}

TEST_P(QueueContractTest, LongPollOnAnEmptyQueueWaitsThenReturnsNothing) {
  const auto start = std::chrono::steady_clock::now();
  auto received = queue().receive(ReceiveOptions{1, 300ms, std::nullopt});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
  EXPECT_GE(took, 250ms);
}

TEST_P(QueueContractTest, ConcurrentReceiversNeverShareAMessage) {
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages / 10; ++i) {
    sendOk(queue(), messages(10, fmt::format("b{}-", i)));
  }
  std::mutex mutex;  // guards seen
  std::vector<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        auto received = queue().receive(upTo(3));
        if (!received.ok() || received->empty()) {
          return;
        }
        std::lock_guard lock(mutex);
        for (const auto& message : *received) {
          seen.push_back(message.message_id);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<std::string> distinct(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kMessages));
}

}  // namespace
}  // namespace rawfeed::contract
