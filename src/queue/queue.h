#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::queue {

// The SQS limits every backend keeps, so that code written against one runs on all.
inline constexpr int kMaxBatchEntries = 10;
inline constexpr std::chrono::seconds kMaxWait{20};

struct OutgoingMessage {
  std::string id;  // unique within one sendBatch call; names the entry in failures
  std::string body;
  std::chrono::seconds delay{0};
};

struct EntryFailure {
  std::string id;  // OutgoingMessage::id or a receipt handle
  core::Error error;
};

struct SendBatchResult {
  std::vector<std::string> sent_ids;
  std::vector<EntryFailure> failed;
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;  // valid until the message is received again
  std::string body;
  int receive_count = 0;  // this receive included (SQS ApproximateReceiveCount)
  core::SystemTime sent_at{};
};

struct QueueStats {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;
  std::optional<double> oldest_age_seconds;  // unknown rather than invented
  std::int64_t dead_letters = 0;
};

struct DeadLetter {
  std::string message_id;
  std::string body;
  int receive_count = 0;
  core::SystemTime sent_at{};
  core::SystemTime dead_lettered_at{};
};

struct ReceiveOptions {
  int max_messages = 1;                            // 1..10
  std::chrono::milliseconds wait{0};               // long poll, at most kMaxWait
  std::optional<std::chrono::seconds> visibility;  // default: the queue's
};

// One domain's work queue with its dead-letter queue, with SQS semantics: a received message is
// hidden for the visibility timeout and comes back unless deleted; after max_receives receives
// it moves to the DLQ instead of being delivered again. At-least-once. Errors: kInvalidInput
// (batch too big, unknown receipt handle), kInternal (storage), kTransient/kThrottled (remote
// backends). Thread-safe; backends that say so are also safe across processes.
class Queue {
 public:
  virtual ~Queue() = default;
  virtual core::Result<SendBatchResult> sendBatch(std::span<const OutgoingMessage> messages) = 0;
  // Sends any number of messages (ids unique across them), `batch_size` (≤ 10) to a request
  // where the backend has a per-request limit; a backend that can do better (one local
  // transaction) overrides it. Entries of a request that failed as a whole are reported failed
  // with that error, so the caller retries exactly what did not go out.
  virtual core::Result<SendBatchResult> sendMany(std::span<const OutgoingMessage> messages,
                                                 int batch_size);
  virtual core::Result<std::vector<ReceivedMessage>> receive(const ReceiveOptions& options) = 0;
  // Cuts short every long poll this object has in progress: each returns what it has, perhaps
  // nothing, instead of waiting out its wait. A consumer pool that is stopping calls it, so that
  // it need not wait for its idle consumers' polls to end. A backend whose polls cannot be cut
  // short (a request already on the wire) does nothing: those polls end by their wait.
  virtual void interruptReceives() {}
  virtual core::Result<std::vector<EntryFailure>> deleteBatch(
      std::span<const std::string> receipt_handles) = 0;
  virtual core::Status changeVisibility(const std::string& receipt_handle,
                                        std::chrono::seconds timeout) = 0;
  virtual core::Result<QueueStats> stats() = 0;
  // The DLQ's messages, oldest first, without receiving them.
  virtual core::Result<std::vector<DeadLetter>> listDeadLetters(int limit) = 0;
  // Moves the given dead letters (all when empty) back to the queue with a fresh receive count.
  virtual core::Result<int> redrive(std::span<const std::string> message_ids) = 0;
  virtual core::Result<int> purgeDeadLetters(std::span<const std::string> message_ids) = 0;
};

}  // namespace rawfeed::queue
