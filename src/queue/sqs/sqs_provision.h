#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::queue::sqs {

// What `rawfeed provision` asks of SQS for one domain. On AWS proper a CloudFormation stack does
// this; provisioning serves accounts without one and the local servers.
struct ProvisionOptions {
  std::string queue_name;
  std::string dlq_name;  // empty: "<queue_name>-dlq"
  std::string region;
  std::string endpoint;
  // The queue's VisibilityTimeout is six times this (AWS's advice for a consumer's timeout),
  // capped at SQS's 12 h.
  std::chrono::seconds worker_timeout{30};
  int max_receives = 5;
  std::chrono::seconds dlq_retention{std::chrono::hours(24 * 14)};  // SQS's maximum
  bool encryption = true;  // SqsManagedSseEnabled, unless the queue already uses a KMS key
  std::chrono::milliseconds request_timeout{10000};
  int max_retries = 3;
};

struct ProvisionChange {
  enum class Kind { kCreatedQueue, kSetAttribute };
  Kind kind = Kind::kCreatedQueue;
  std::string queue;      // the queue's name
  std::string attribute;  // kSetAttribute: its name
  std::string before;     // kSetAttribute: the value found ("" when it had none)
  std::string after;      // kSetAttribute: the value set

  // "created queue prices-dlq", "set VisibilityTimeout of prices: 30 -> 180"
  std::string describe() const;
};

struct ProvisionReport {
  std::string queue_url;
  std::string dlq_url;
  std::vector<ProvisionChange> changes;  // empty when everything was already as wanted
};

// Creates the DLQ and then the queue where they are missing, and sets the attributes that differ
// from what is wanted on those that exist (never deleting or re-creating a queue), so a second
// run changes nothing and reports nothing. DLQ: MessageRetentionPeriod, encryption. Queue:
// VisibilityTimeout, RedrivePolicy (maxReceiveCount to the DLQ), encryption. Errors: the
// refusal as classified (kUnauthenticated where the credentials may not create queues).
core::Result<ProvisionReport> provision(const ProvisionOptions& options, http::HttpClient& http,
                                        aws::CredentialsProvider& credentials,
                                        const core::Clock& clock, core::Random& random);

}  // namespace rawfeed::queue::sqs
