#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "queue/queue.h"

namespace rawfeed::fakes {

// A Queue in memory with as much of SQS as the tests need: a sent message is visible at once (its
// delay is recorded, not waited for); a received one is in flight, its receive count raised,
// until deleted; changeVisibility puts it back at once whatever the timeout. Message ids and
// receipt handles are "m0", "m1", ... in the order sent. No dead-letter queue. Records what tests
// check (messages sent, visibility changes, calls) and fails entries or every call on demand.
// Thread-safe.
class InMemoryQueue final : public queue::Queue {
 public:
  core::Result<queue::SendBatchResult> sendBatch(
      std::span<const queue::OutgoingMessage> messages) override {
    std::lock_guard lock(mutex_);
    ++send_calls_;
    if (fault_)
      return *fault_;
    queue::SendBatchResult result;
    for (const auto& message : messages) {
      auto failing = entry_faults_.find(message.id);
      if (failing != entry_faults_.end() && failing->second > 0) {
        --failing->second;
        result.failed.push_back({message.id, core::makeError(core::ErrorCode::kTransient, "boom")});
        continue;
      }
      sent_.push_back(message);
      queue::ReceivedMessage received;
      received.message_id = "m" + std::to_string(next_id_++);
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
    if (fault_)
      return *fault_;
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
    if (fault_)
      return *fault_;
    for (const auto& receipt : receipts) {
      std::erase_if(in_flight_, [&](const auto& m) { return m.receipt_handle == receipt; });
      ++deleted_;
    }
    return std::vector<queue::EntryFailure>{};
  }
  core::Status changeVisibility(const std::string& receipt, std::chrono::seconds timeout) override {
    std::lock_guard lock(mutex_);
    if (fault_)
      return *fault_;
    visibility_changes_[receipt] = timeout;
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
    if (fault_)
      return *fault_;
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

  // The next `times` sends of an entry with this id fail (kTransient), the rest of its batch
  // going out.
  void failEntry(const std::string& id, int times) {
    std::lock_guard lock(mutex_);
    entry_faults_[id] = times;
  }
  // From now on every call but the dead-letter ones fails with `error` (a queue on a full disk).
  void failAll(core::Error error) {
    std::lock_guard lock(mutex_);
    fault_ = std::move(error);
  }

  // Every message sent, in order; failed entries are not.
  std::vector<queue::OutgoingMessage> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& message : sent_)
      out.push_back(message.body);
    return out;
  }
  // The last timeout each receipt handle was given by changeVisibility.
  std::map<std::string, std::chrono::seconds> visibilityChanges() const {
    std::lock_guard lock(mutex_);
    return visibility_changes_;
  }
  int sendCalls() const {  // failed ones included
    std::lock_guard lock(mutex_);
    return send_calls_;
  }
  int receives() const {  // failed ones included
    std::lock_guard lock(mutex_);
    return receives_;
  }
  int deleted() const {  // receipt handles passed to deleteBatch
    std::lock_guard lock(mutex_);
    return deleted_;
  }
  std::size_t held() const {  // visible and in flight
    std::lock_guard lock(mutex_);
    return visible_.size() + in_flight_.size();
  }

 private:
  mutable std::mutex mutex_;  // guards everything below
  std::deque<queue::ReceivedMessage> visible_;
  std::vector<queue::ReceivedMessage> in_flight_;
  std::vector<queue::OutgoingMessage> sent_;
  std::map<std::string, std::chrono::seconds> visibility_changes_;
  std::map<std::string, int> entry_faults_;
  std::optional<core::Error> fault_;
  int next_id_ = 0;
  int send_calls_ = 0;
  int receives_ = 0;
  int deleted_ = 0;
};

}  // namespace rawfeed::fakes
