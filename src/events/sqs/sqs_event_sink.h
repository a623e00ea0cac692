#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aws/api_operations.h"
#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "events/event_sink.h"
#include "http/http_client.h"
#include "queue/sqs/sqs_client.h"

namespace rawfeed::events::sqs {

struct SqsSinkOptions {
  std::string queue_url;                // or
  std::string queue_name;               // resolved with GetQueueUrl on the first publish
  queue::sqs::SqsClientOptions client;  // endpoint, region, timeout, retries
};

// Sends each completion event as one SQS message whose body is the event JSON, exactly as
// written to the local log. A FIFO queue (name ending in .fifo) gets MessageGroupId = the
// event's domain, so one domain's events stay in order, and MessageDeduplicationId = SHA-256 of
// the body, so a redelivered identical event is dropped by SQS within its 5-minute window.
// Throttled and transient failures are retried by the SqsClient with backoff; publish() returns
// once SQS acknowledged the message, else the classified error (sqs_errors.h; kNotFound naming
// the queue when it does not exist). The queue's URL is looked up again after a failure.
// Thread-safe.
class SqsEventSink final : public EventSink {
 public:
  SqsEventSink(SqsSinkOptions options, http::HttpClient& http,
               aws::CredentialsProvider& credentials, const core::Clock& clock,
               core::Random& random);

  core::Status publish(std::string_view event_json) override;

  // The AWS API operations this sink performs (aws/api_operations.h), whose IAM actions its
  // role must allow on the queue: GetQueueUrl (for sqs://NAME) and SendMessage.
  static std::vector<aws::ApiOperation> operations();

 private:
  core::Result<std::string> queueUrl();
  bool isFifo() const;

  SqsSinkOptions options_;
  queue::sqs::SqsClient client_;
  std::mutex url_mutex_;      // guards resolved_url_
  std::string resolved_url_;  // queue_url, or what GetQueueUrl answered
};

}  // namespace rawfeed::events::sqs
