#pragma once

#include <string>

#include "core/result.h"
#include "queue/sqs/sqs_queue_options.h"

namespace rawfeed::queue::sqs {

class SqsClient;

// A queue and its DLQ as SqsQueue addresses them.
struct QueueNames {
  std::string queue_url;
  std::string queue_arn;
  std::string dlq_url;
  std::string dlq_arn;
  int max_receives = 0;
};

// From the options and the queue's attributes: GetQueueUrl for a name, GetQueueAttributes for the
// ARN and RedrivePolicy, GetQueueUrl for the policy's DLQ, GetQueueAttributes for its ARN.
// kNotFound naming the queue when it does not exist; kInvalidInput when there is no DLQ or
// max_receives to be found.
core::Result<QueueNames> resolveQueueNames(SqsClient& client, const SqsQueueOptions& options);

}  // namespace rawfeed::queue::sqs
