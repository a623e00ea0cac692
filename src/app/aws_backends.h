#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "events/event_sink.h"
#include "observe/logger.h"
#include "queue/queue.h"
#include "store/object_store.h"

namespace rawfeed::app {

// The AWS side of the composition root: one HTTP client and one credentials chain for the
// domain's S3 lake and SQS queue, with region and endpoints from the AWS SDKs' environment
// variables (AWS_REGION, AWS_ENDPOINT_URL[_S3|_SQS], AWS_PROFILE), so the same configuration
// runs against AWS, MinIO or a local test server.
// What one AWS service was asked so far: every exchange (retries included), the retries, and the
// answers that asked to slow down (S3 SlowDown/503, SQS ThrottlingException).
struct AwsServiceFigures {
  bool used = false;
  std::uint64_t requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t throttled = 0;
};
struct AwsRequestFigures {
  AwsServiceFigures s3;
  AwsServiceFigures sqs;
};

class AwsBackends {
 public:
  static core::Result<std::unique_ptr<AwsBackends>> open(const core::Clock& clock);
  ~AwsBackends();

  // An S3 lake: checks the bucket (a missing one is a configuration error here).
  core::Result<std::unique_ptr<store::ObjectStore>> openLake(const config::LakeLocation& lake,
                                                             core::Random& random,
                                                             observe::Logger& logger);
  // One object's bytes, "s3://bucket/key", with GetObject alone (no bucket check): the
  // function's configuration when RAWFEED_CONFIG names one on S3.
  core::Result<std::string> readObject(const std::string& uri, core::Random& random);
  // An SQS queue by name (sqs://NAME) or URL ("https://sqs.REGION.amazonaws.com/ACCOUNT/NAME").
  core::Result<std::unique_ptr<queue::Queue>> openQueue(const config::QueueLocation& queue,
                                                        core::Random& random);

  // The requests of the lake and queue opened last (which must still be open): throttling shows
  // in the run summary and the log through these.
  AwsRequestFigures requestFigures() const;
  // The remote sink of an `events` setting of kind eventbridge or sqs: the bus's region from its
  // ARN when given one, endpoints from AWS_ENDPOINT_URL_EVENTS / _SQS / AWS_ENDPOINT_URL.
  core::Result<std::unique_ptr<events::EventSink>> openEventSink(
      const config::EventsSettings& events, core::Random& random);

  // Creates the queue and its DLQ where allowed (encryption on, redrive after `max_receives`,
  // visibility = worker timeout × 6, DLQ retention) and sets what differs; idempotent. One line
  // per change made, none when everything already was as wanted.
  core::Result<std::vector<std::string>> provisionQueue(const config::QueueLocation& queue,
                                                        std::chrono::seconds worker_timeout,
                                                        int max_receives,
                                                        std::chrono::seconds dlq_retention,
                                                        core::Random& random);

 private:
  struct State;
  explicit AwsBackends(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rawfeed::app
