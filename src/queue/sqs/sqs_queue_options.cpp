#include "queue/sqs/sqs_queue_options.h"

#include "aws/endpoints.h"

namespace rawfeed::queue::sqs {

core::Status resolveFromEnvironment(SqsQueueOptions& options, const aws::EnvLookup& env) {
  if (options.queue_url.empty() && options.queue_name.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "SQS queue: give a queue URL or a queue name");
  }
  if (options.region.empty()) {
    auto region = aws::resolveRegion(env);
    if (!region.ok())
      return region.error();
    options.region = *region;
  }
  if (!options.endpoint.empty())
    return core::okStatus();
  auto endpoint = aws::resolveEndpoint(env, "sqs", options.region);
  if (!endpoint.ok())
    return endpoint.error();
  if (!endpoint->custom && !options.queue_url.empty()) {
    // A queue URL names its own service host, which beats a guess from the region.
    if (auto from_url = aws::parseEndpoint(options.queue_url); from_url.ok()) {
      options.endpoint = from_url->origin();
      return core::okStatus();
    }
  }
  options.endpoint = endpoint->origin() + endpoint->base_path;
  return core::okStatus();
}

}  // namespace rawfeed::queue::sqs
