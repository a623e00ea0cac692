#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "queue/sqs/sqs_client.h"

namespace rawfeed::queue::sqs {

// The queue-level SQS actions, one function each, over SqsClient.

using QueueAttributes = std::map<std::string, std::string>;

// GetQueueAttributes of the named attributes (SQS answers only those it has).
core::Result<QueueAttributes> getQueueAttributes(SqsClient& client, const std::string& queue_url,
                                                 std::span<const std::string> names);
core::Status setQueueAttributes(SqsClient& client, const std::string& queue_url,
                                const QueueAttributes& attributes);

// GetQueueUrl; `owner_account` empty for the caller's own account. kNotFound when there is none.
core::Result<std::string> getQueueUrl(SqsClient& client, const std::string& name,
                                      const std::string& owner_account = {});
// CreateQueue: the QueueUrl. SQS answers an existing queue's URL when the attributes match and
// QueueAlreadyExists (kAlreadyExists) when they do not.
core::Result<std::string> createQueue(SqsClient& client, const std::string& name,
                                      const QueueAttributes& attributes);
core::Status purgeQueue(SqsClient& client, const std::string& queue_url);

// StartMessageMoveTask from a DLQ back to `destination_arn` (empty: each message's source
// queue): the task handle. Sent without retries, as its failures decide a fallback.
core::Result<std::string> startMessageMoveTask(SqsClient& client, const std::string& source_arn,
                                               const std::string& destination_arn);

struct MoveTask {
  std::string task_handle;  // only while RUNNING, as SQS answers
  std::string status;       // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
  std::int64_t moved = 0;
  std::int64_t to_move = 0;
  std::string failure_reason;
};

// ListMessageMoveTasks of a DLQ, most recent first (as SQS lists them).
core::Result<std::vector<MoveTask>> listMessageMoveTasks(
    SqsClient& client, const std::string& source_arn,
    std::chrono::milliseconds delay = std::chrono::milliseconds(0));

}  // namespace rawfeed::queue::sqs
