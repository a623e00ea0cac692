#pragma once

#include <memory>
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "observe/logger.h"
#include "queue/queue.h"
#include "store/object_store.h"

namespace rawfeed::app {

// The AWS side of the composition root: one HTTP client and one credentials chain for the
// domain's S3 lake and SQS queue, with region and endpoints from the AWS SDKs' environment
// variables (AWS_REGION, AWS_ENDPOINT_URL[_S3|_SQS], AWS_PROFILE), so the same configuration
// runs against AWS, MinIO or a local test server.
class AwsBackends {
 public:
  static core::Result<std::unique_ptr<AwsBackends>> open(const core::Clock& clock);
  ~AwsBackends();

  // "s3://bucket/prefix": checks the bucket (a missing one is a configuration error here).
  core::Result<std::unique_ptr<store::ObjectStore>> openLake(const std::string& uri,
                                                             core::Random& random,
                                                             observe::Logger& logger);
  // "sqs://NAME" or the queue's URL ("https://sqs.REGION.amazonaws.com/ACCOUNT/NAME").
  core::Result<std::unique_ptr<queue::Queue>> openQueue(const std::string& uri,
                                                        core::Random& random);

  // Creates the queue and its DLQ where allowed (encryption on, redrive after `max_receives`,
  // visibility = worker timeout × 6, DLQ retention) and sets what differs; idempotent. One line
  // per change made, none when everything already was as wanted.
  core::Result<std::vector<std::string>> provisionQueue(const std::string& uri,
                                                        std::chrono::seconds worker_timeout,
                                                        int max_receives,
                                                        std::chrono::seconds dlq_retention,
                                                        core::Random& random);

 private:
  struct State;
  explicit AwsBackends(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

bool isS3Uri(const std::string& uri);
bool isSqsUri(const std::string& uri);

}  // namespace rawfeed::app
