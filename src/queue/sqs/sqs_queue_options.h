#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/environment.h"
#include "core/result.h"

namespace rawfeed::queue::sqs {

// One domain's SQS queue. Either queue_url, or queue_name (+ account_id for a queue another
// account owns), which GetQueueUrl resolves. The DLQ and max_receives come from the queue's
// RedrivePolicy unless given.
struct SqsQueueOptions {
  std::string queue_url;
  std::string queue_name;
  std::string account_id;
  std::string dlq_url;
  std::string region;    // signs every request; local servers keep a namespace per region
  std::string endpoint;  // "https://sqs.eu-west-1.amazonaws.com", "http://127.0.0.1:4566"
  // Per-receive default when ReceiveOptions::visibility is absent; absent here too: the queue's
  // own VisibilityTimeout, applied by SQS.
  std::optional<std::chrono::seconds> visibility_timeout;
  std::optional<int> max_receives;
  std::chrono::milliseconds request_timeout{10000};  // a long poll's wait comes on top
  int max_retries = 3;                               // for throttling and transient faults
  std::chrono::milliseconds backoff_base{100};
  std::chrono::milliseconds backoff_cap{5000};
  // How long a DLQ scan (list, redrive, purge by id) hides what it received; listDeadLetters
  // releases at once, so this only matters if the process dies mid-scan.
  std::chrono::seconds dlq_scan_visibility{60};
  // How long redrive waits for an SQS message move task before reporting what has moved so far.
  std::chrono::seconds move_task_wait{120};
};

// Fills what the AWS SDKs would from their standard settings: region from AWS_REGION /
// AWS_DEFAULT_REGION / the profile; endpoint from AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL /
// the profile, else the queue URL's own origin, else https://sqs.<region>.amazonaws.com.
// Values already set are kept. kInvalidInput when neither a URL nor a name is given, or no
// region can be found.
core::Status resolveFromEnvironment(SqsQueueOptions& options, const aws::EnvLookup& env);

}  // namespace rawfeed::queue::sqs
