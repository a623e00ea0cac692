#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::queue::sqs {

// Typed readings of GetQueueAttributes' string map.

// "arn:aws:sqs:us-east-1:123456789012:prices-dlq"
struct QueueArn {
  std::string partition;
  std::string region;
  std::string account;
  std::string name;
};
std::optional<QueueArn> parseQueueArn(std::string_view arn);
std::string formatQueueArn(const QueueArn& arn);

// The queue's RedrivePolicy: where messages go after max_receive_count receives.
inline const std::string kRedrivePolicyAttribute = "RedrivePolicy";
struct RedrivePolicy {
  std::string dead_letter_target_arn;
  int max_receive_count = 0;
};
// The attribute's JSON text; maxReceiveCount as a number or a string (SQS sends either).
// nullopt for anything without both fields.
std::optional<RedrivePolicy> parseRedrivePolicy(std::string_view json_text);
// maxReceiveCount as a string, the form SQS itself answers with.
std::string formatRedrivePolicy(const RedrivePolicy& policy);

// The three message counts of a queue; absent attributes count as 0.
inline const std::string kVisibleAttribute = "ApproximateNumberOfMessages";
inline const std::string kInFlightAttribute = "ApproximateNumberOfMessagesNotVisible";
inline const std::string kDelayedAttribute = "ApproximateNumberOfMessagesDelayed";
struct MessageCounts {
  std::int64_t visible = 0;
  std::int64_t in_flight = 0;
  std::int64_t delayed = 0;
  std::int64_t total() const { return visible + in_flight + delayed; }
};
MessageCounts messageCounts(const QueueAttributes& attributes);

// An integer attribute (VisibilityTimeout, MessageRetentionPeriod); nullopt when absent or not
// a number.
std::optional<std::int64_t> integerAttribute(const QueueAttributes& attributes,
                                             const std::string& name);

}  // namespace rawfeed::queue::sqs
