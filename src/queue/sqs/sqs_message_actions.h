#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "queue/queue.h"
#include "queue/sqs/sqs_client.h"

namespace rawfeed::queue::sqs {

// The message-level SQS actions, one function each, over SqsClient: request bodies built and
// answers parsed here, policy (splitting, retries, fallbacks) left to the callers. `queue_url`
// is the QueueUrl as SQS gave it; it only travels in the body.

// SendMessageBatch of 1..10 already checked entries, the OutgoingMessage ids as entry ids. Entries
// SQS refuses come back in `failed` (entryError); the call fails whole only when the request does.
core::Result<SendBatchResult> sendMessageBatch(SqsClient& client, const std::string& queue_url,
                                               std::span<const OutgoingMessage> messages);

struct ReceiveRequest {
  int max_messages = 1;                            // 1..10
  std::chrono::seconds wait{0};                    // WaitTimeSeconds, 0..20
  std::optional<std::chrono::seconds> visibility;  // absent: the queue's
};

// ReceiveMessage asking for ApproximateReceiveCount and SentTimestamp (as MessageSystemAttribute
// Names and the older AttributeNames, for servers that know only one). kPermanent for a message
// without a receipt handle or a receive count: never guessed.
core::Result<std::vector<ReceivedMessage>> receiveMessage(SqsClient& client,
                                                          const std::string& queue_url,
                                                          const ReceiveRequest& request);

// DeleteMessageBatch of 1..10 receipt handles; failures name the handle.
core::Result<std::vector<EntryFailure>> deleteMessageBatch(
    SqsClient& client, const std::string& queue_url, std::span<const std::string> receipt_handles);

core::Status changeMessageVisibility(SqsClient& client, const std::string& queue_url,
                                     const std::string& receipt_handle,
                                     std::chrono::seconds timeout);

// ChangeMessageVisibilityBatch of 1..10 handles to the same timeout; failures name the handle.
core::Result<std::vector<EntryFailure>> changeMessageVisibilityBatch(
    SqsClient& client, const std::string& queue_url, std::span<const std::string> receipt_handles,
    std::chrono::seconds timeout);

}  // namespace rawfeed::queue::sqs
