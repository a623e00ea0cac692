#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "queue/queue.h"
#include "queue/sqs/sqs_client.h"

namespace rawfeed::queue::sqs {

// SQS cannot look at a message without receiving it, so every DLQ operation but a plain purge
// starts with a scan: receive (hiding each message for `visibility`), decide, then delete, move
// or release what was taken. A scanned message's ApproximateReceiveCount grows by one each time.

struct ScanOptions {
  std::chrono::seconds visibility{60};  // longer than the whole operation, or messages repeat
  std::size_t limit = static_cast<std::size_t>(-1);
  // Stops early once this holds for what has been collected (e.g. every wanted id seen).
  std::function<bool(const std::vector<ReceivedMessage>&)> enough;
};

// Receives until `limit`, `enough`, or an empty answer. Ends with a 1 s long poll, which asks
// every SQS host (a short poll samples only some, so its empty answer proves nothing). A message
// received twice (its visibility ran out mid-scan) keeps only its latest receipt handle.
core::Result<std::vector<ReceivedMessage>> scanQueue(SqsClient& client,
                                                     const std::string& queue_url,
                                                     const ScanOptions& options);

// Makes scanned messages visible again at once (ChangeMessageVisibilityBatch 0, by tens). Best
// effort by design: a handle that fails comes back by itself when its scan visibility ends.
void release(SqsClient& client, const std::string& queue_url,
             std::span<const ReceivedMessage> messages);

// Deletes scanned messages by tens; the number deleted. Fails on the first request that fails.
core::Result<int> deleteScanned(SqsClient& client, const std::string& queue_url,
                                std::span<const ReceivedMessage> messages);

// Sends each message's body to `to_url` and deletes it from `from_url` once sent: at least once,
// never lost (a crash between the two leaves a copy in both). The number moved.
core::Result<int> moveScanned(SqsClient& client, const std::string& from_url,
                              const std::string& to_url, std::span<const ReceivedMessage> messages);

}  // namespace rawfeed::queue::sqs

namespace rawfeed::queue::sqs {

// Splits scanned messages into those named by `message_ids` (all when empty) and the rest.
// kNotFound listing the ids the scan did not find, so the caller changes nothing.
struct Selection {
  std::vector<ReceivedMessage> chosen;
  std::vector<ReceivedMessage> rest;
};
core::Result<Selection> selectByIds(std::vector<ReceivedMessage> scanned,
                                    std::span<const std::string> message_ids);

// A ScanOptions::enough that holds once every id has been seen.
std::function<bool(const std::vector<ReceivedMessage>&)> seenAll(
    std::span<const std::string> message_ids);

}  // namespace rawfeed::queue::sqs
