#include "queue/sqs/sqs_queue_names.h"

#include <fmt/format.h>

#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::queue::sqs {
namespace {

const std::string kQueueArn = "QueueArn";

core::Error missing(const core::Error& error, std::string_view what, std::string_view name) {
  if (error.code != core::ErrorCode::kNotFound)
    return error;
  return core::makeError(core::ErrorCode::kNotFound,
                         fmt::format("SQS {} '{}' does not exist ({})", what, name, error.message));
}

core::Result<QueueAttributes> attributesOf(SqsClient& client, const std::string& url,
                                           std::string_view what) {
  const std::string names[] = {kQueueArn, kRedrivePolicyAttribute};
  auto attributes = getQueueAttributes(client, url, names);
  if (!attributes.ok())
    return missing(attributes.error(), what, url);
  if (!attributes->count(kQueueArn)) {
    return core::makeError(core::ErrorCode::kPermanent,
                           fmt::format("SQS {} '{}' has no QueueArn attribute", what, url));
  }
  return attributes;
}

}  // namespace

core::Result<QueueNames> resolveQueueNames(SqsClient& client, const SqsQueueOptions& options) {
  QueueNames names;
  names.queue_url = options.queue_url;
  if (names.queue_url.empty()) {
    auto url = getQueueUrl(client, options.queue_name, options.account_id);
    if (!url.ok())
      return missing(url.error(), "queue", options.queue_name);
    names.queue_url = *url;
  }
  auto queue = attributesOf(client, names.queue_url, "queue");
  if (!queue.ok())
    return queue.error();
  names.queue_arn = queue->at(kQueueArn);

  std::optional<RedrivePolicy> policy;
  if (auto it = queue->find(kRedrivePolicyAttribute); it != queue->end()) {
    policy = parseRedrivePolicy(it->second);
  }
  names.dlq_url = options.dlq_url;
  if (names.dlq_url.empty()) {
    const auto arn = policy ? parseQueueArn(policy->dead_letter_target_arn) : std::nullopt;
    if (!arn) {
      return core::makeError(
          core::ErrorCode::kInvalidInput,
          fmt::format("SQS queue '{}' has no RedrivePolicy naming a DLQ: set one (rawfeed "
                      "provision does) or give the DLQ's URL",
                      names.queue_url));
    }
    auto url = getQueueUrl(client, arn->name, arn->account);
    if (!url.ok())
      return missing(url.error(), "dead-letter queue", arn->name);
    names.dlq_url = *url;
  }
  auto dlq = attributesOf(client, names.dlq_url, "dead-letter queue");
  if (!dlq.ok())
    return dlq.error();
  names.dlq_arn = dlq->at(kQueueArn);

  if (options.max_receives) {
    names.max_receives = *options.max_receives;
  } else if (policy) {
    names.max_receives = policy->max_receive_count;
  } else {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("SQS queue '{}' has no RedrivePolicy: give max_receives", names.queue_url));
  }
  return names;
}

}  // namespace rawfeed::queue::sqs
