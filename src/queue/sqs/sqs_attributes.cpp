#include "queue/sqs/sqs_attributes.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/arn.h"
#include "queue/sqs/sqs_json.h"

namespace rawfeed::queue::sqs {

std::optional<QueueArn> parseQueueArn(std::string_view text) {
  auto arn = core::parseArn(text);
  if (!arn || arn->service != "sqs" || arn->resource.find(':') != std::string::npos)
    return std::nullopt;
  return QueueArn{std::move(arn->partition), std::move(arn->region), std::move(arn->account),
                  std::move(arn->resource)};
}

std::string formatQueueArn(const QueueArn& arn) {
  return core::formatArn({arn.partition, "sqs", arn.region, arn.account, arn.name});
}

std::optional<RedrivePolicy> parseRedrivePolicy(std::string_view json_text) {
  const auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return std::nullopt;
  RedrivePolicy policy;
  policy.dead_letter_target_arn = stringField(json, "deadLetterTargetArn");
  const auto count = integerField(json, "maxReceiveCount");
  if (policy.dead_letter_target_arn.empty() || !count || *count < 1 ||
      *count > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  policy.max_receive_count = static_cast<int>(*count);
  return policy;
}

std::string formatRedrivePolicy(const RedrivePolicy& policy) {
  return nlohmann::json{{"deadLetterTargetArn", policy.dead_letter_target_arn},
                        {"maxReceiveCount", std::to_string(policy.max_receive_count)}}
      .dump();
}

std::optional<std::int64_t> integerAttribute(const QueueAttributes& attributes,
                                             const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end())
    return std::nullopt;
  return parseInteger(it->second);
}

namespace {

// A count SQS answers is never negative nor anywhere near 2^62; a broken answer's is clamped, so
// that total() cannot overflow.
std::int64_t countAttribute(const QueueAttributes& attributes, const std::string& name) {
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 60;
  return std::clamp<std::int64_t>(integerAttribute(attributes, name).value_or(0), 0, kMaxCount);
}

}  // namespace

MessageCounts messageCounts(const QueueAttributes& attributes) {
  MessageCounts counts;
  counts.visible = countAttribute(attributes, kVisibleAttribute);
  counts.in_flight = countAttribute(attributes, kInFlightAttribute);
  counts.delayed = countAttribute(attributes, kDelayedAttribute);
  return counts;
}

}  // namespace rawfeed::queue::sqs
