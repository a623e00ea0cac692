#include "queue/sqs/sqs_provision.h"

#include <algorithm>

#include <fmt/format.h>

#include "aws/endpoints.h"
#include "queue/sqs/sqs_attributes.h"
#include "queue/sqs/sqs_checks.h"
#include "queue/sqs/sqs_client.h"
#include "queue/sqs/sqs_queue_actions.h"

namespace rawfeed::queue::sqs {
namespace {

const std::string kManagedSse = "SqsManagedSseEnabled";
const std::string kKmsKey = "KmsMasterKeyId";

bool sameValue(const std::string& name, const std::string& found, const std::string& wanted) {
  if (name != kRedrivePolicyAttribute)
    return found == wanted;
  // The JSON may differ in spacing and in maxReceiveCount being a number or a string.
  const auto a = parseRedrivePolicy(found);
  const auto b = parseRedrivePolicy(wanted);
  return a && b && a->dead_letter_target_arn == b->dead_letter_target_arn &&
         a->max_receive_count == b->max_receive_count;
}

// The URL of queue `name`, created with `wanted` if missing, else brought to `wanted`.
core::Result<std::string> ensureQueue(SqsClient& client, const std::string& name,
                                      const QueueAttributes& wanted, ProvisionReport& report) {
  auto url = getQueueUrl(client, name);
  if (!url.ok() && url.error().code != core::ErrorCode::kNotFound)
    return url.error();
  if (!url.ok()) {
    auto created = createQueue(client, name, wanted);
    if (!created.ok())
      return created.error();
    report.changes.push_back({ProvisionChange::Kind::kCreatedQueue, name, {}, {}, {}});
    return created;
  }
  std::vector<std::string> names;
  for (const auto& [attribute, value] : wanted)
    names.push_back(attribute);
  names.push_back(kKmsKey);
  auto found = getQueueAttributes(client, *url, names);
  if (!found.ok())
    return found.error();
  QueueAttributes changes;
  for (const auto& [attribute, value] : wanted) {
    auto it = found->find(attribute);
    const std::string before = it == found->end() ? std::string() : it->second;
    // A queue encrypted with a KMS key is already encrypted; SQS refuses both at once.
    if (attribute == kManagedSse && found->count(kKmsKey) && !found->at(kKmsKey).empty())
      continue;
    if (sameValue(attribute, before, value))
      continue;
    changes[attribute] = value;
    report.changes.push_back(
        {ProvisionChange::Kind::kSetAttribute, name, attribute, before, value});
  }
  if (!changes.empty()) {
    if (auto set = setQueueAttributes(client, *url, changes); !set)
      return set.error();
  }
  return url;
}

core::Result<std::string> arnOf(SqsClient& client, const std::string& url) {
  const std::string names[] = {"QueueArn"};
  auto attributes = getQueueAttributes(client, url, names);
  if (!attributes.ok())
    return attributes.error();
  auto it = attributes->find("QueueArn");
  if (it == attributes->end()) {
    return core::makeError(core::ErrorCode::kPermanent,
                           fmt::format("SQS queue '{}' has no QueueArn attribute", url));
  }
  return it->second;
}

}  // namespace

std::string ProvisionChange::describe() const {
  if (kind == Kind::kCreatedQueue)
    return fmt::format("created queue {}", queue);
  return fmt::format("set {} of {}: {} -> {}", attribute, queue, before.empty() ? "(none)" : before,
                     after);
}

core::Result<ProvisionReport> provision(const ProvisionOptions& options, http::HttpClient& http,
                                        aws::CredentialsProvider& credentials,
                                        const core::Clock& clock, core::Random& random) {
  if (options.queue_name.empty() || options.max_receives < 1 ||
      options.worker_timeout.count() < 1) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "provision: a queue name, max_receives >= 1 and a worker timeout >= 1 s "
                           "are required");
  }
  auto endpoint = aws::parseEndpoint(options.endpoint);
  if (!endpoint.ok())
    return endpoint.error();
  SqsClientOptions client_options;
  client_options.target = SqsTarget{*endpoint, options.region};
  client_options.request_timeout = options.request_timeout;
  client_options.retry.max_retries = options.max_retries;
  SqsClient client(std::move(client_options), http, credentials, clock, random);

  const std::string dlq_name =
      options.dlq_name.empty() ? options.queue_name + "-dlq" : options.dlq_name;
  ProvisionReport report;
  QueueAttributes dlq_wanted = {
      {"MessageRetentionPeriod", std::to_string(options.dlq_retention.count())}};
  if (options.encryption)
    dlq_wanted[kManagedSse] = "true";
  auto dlq_url = ensureQueue(client, dlq_name, dlq_wanted, report);
  if (!dlq_url.ok())
    return dlq_url.error();
  report.dlq_url = *dlq_url;
  auto dlq_arn = arnOf(client, *dlq_url);
  if (!dlq_arn.ok())
    return dlq_arn.error();

  const auto visibility = std::min(options.worker_timeout * 6, kMaxVisibility);
  QueueAttributes queue_wanted = {
      {"VisibilityTimeout", std::to_string(visibility.count())},
      {kRedrivePolicyAttribute, formatRedrivePolicy({*dlq_arn, options.max_receives})}};
  if (options.encryption)
    queue_wanted[kManagedSse] = "true";
  auto queue_url = ensureQueue(client, options.queue_name, queue_wanted, report);
  if (!queue_url.ok())
    return queue_url.error();
  report.queue_url = *queue_url;
  return report;
}

}  // namespace rawfeed::queue::sqs
