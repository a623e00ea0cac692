#include "app/aws_backends.h"

#include "aws/default_credentials.h"
#include "aws/endpoints.h"
#include "aws/environment.h"
#include "core/arn.h"
#include "events/eventbridge/eventbridge_event_sink.h"
#include "events/sqs/sqs_event_sink.h"
#include "http/curl/curl_http_client.h"
#include "queue/sqs/sqs_provision.h"
#include "queue/sqs/sqs_queue.h"
#include "queue/sqs/sqs_queue_options.h"
#include "store/s3/s3_object_store.h"

namespace rawfeed::app {

struct AwsBackends::State {
  const core::Clock* clock = nullptr;
  aws::EnvLookup env;
  std::unique_ptr<http::curl::CurlHttpClient> http;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  std::string region;
  const store::s3::S3ObjectStore* lake = nullptr;  // the last opened; owned by the caller
  const queue::sqs::SqsQueue* queue = nullptr;     // likewise

  // An S3 store over `bucket`/`prefix` in this region, at AWS_ENDPOINT_URL_S3 (or
  // AWS_ENDPOINT_URL) where one is set.
  core::Result<std::unique_ptr<store::s3::S3ObjectStore>> openS3(std::string bucket,
                                                                 std::string prefix,
                                                                 core::Random& random,
                                                                 observe::Logger* logger) {
    store::s3::S3Options options;
    options.bucket = std::move(bucket);
    options.prefix = std::move(prefix);
    options.region = region;
    auto endpoint = aws::resolveEndpoint(env, "s3", region);
    if (!endpoint.ok())
      return endpoint.error();
    if (endpoint->custom)
      options.endpoint = endpoint->origin() + endpoint->base_path;
    return store::s3::S3ObjectStore::create(options, *http, *credentials, *clock, random, logger);
  }
};

namespace {

// An SQS location's address is its name (sqs://NAME) or its URL.
bool isQueueUrl(const config::QueueLocation& queue) {
  return queue.address.find("://") != std::string::npos;
}

}  // namespace

AwsBackends::AwsBackends(std::unique_ptr<State> state) : state_(std::move(state)) {}

AwsBackends::~AwsBackends() {
  if (state_ && state_->http)
    state_->http->stop();
}

core::Result<std::unique_ptr<AwsBackends>> AwsBackends::open(const core::Clock& clock) {
  auto state = std::make_unique<State>();
  state->clock = &clock;
  state->env = aws::processEnvironment();
  auto region = aws::resolveRegion(state->env);
  if (!region.ok())
    return region.error();
  state->region = *region;
  http::curl::CurlHttpClientOptions options;
  options.user_agent = "rawfeed/0.1";
  state->http = std::make_unique<http::curl::CurlHttpClient>(options);
  state->credentials = aws::makeDefaultCredentialsProvider(state->env, *state->http, clock);
  return std::unique_ptr<AwsBackends>(new AwsBackends(std::move(state)));
}

core::Result<std::unique_ptr<store::ObjectStore>> AwsBackends::openLake(
    const config::LakeLocation& lake, core::Random& random, observe::Logger& logger) {
  auto store = state_->openS3(lake.address, lake.prefix, random, &logger);
  if (!store.ok())
    return store.error();
  if (auto checked = (*store)->checkBucket(); !checked.ok()) {
    return core::makeError(checked.error().code,
                           "lake " + lake.uri + ": " + checked.error().message);
  }
  state_->lake = store->get();
  return std::unique_ptr<store::ObjectStore>(std::move(store).value());
}

core::Result<std::string> AwsBackends::readObject(const std::string& uri, core::Random& random) {
  const std::string rest = uri.substr(5);  // after "s3://"
  const auto slash = rest.find('/');
  if (uri.rfind("s3://", 0) != 0 || slash == std::string::npos || slash == 0 ||
      slash + 1 == rest.size()) {
    return core::makeError(core::ErrorCode::kInvalidInput, "'" + uri + "' is not s3://bucket/key");
  }
  auto store = state_->openS3(rest.substr(0, slash), "", random, nullptr);
  if (!store.ok())
    return store.error();
  auto bytes = (*store)->get(rest.substr(slash + 1));
  if (!bytes.ok())
    return core::makeError(bytes.error().code, uri + ": " + bytes.error().message);
  return bytes;
}

core::Result<std::unique_ptr<queue::Queue>> AwsBackends::openQueue(
    const config::QueueLocation& queue_location, core::Random& random) {
  queue::sqs::SqsQueueOptions options;
  if (isQueueUrl(queue_location))
    options.queue_url = queue_location.address;
  else
    options.queue_name = queue_location.address;
  if (auto resolved = queue::sqs::resolveFromEnvironment(options, state_->env); !resolved.ok()) {
    return resolved.error();
  }
  auto queue = queue::sqs::SqsQueue::open(options, *state_->http, *state_->credentials,
                                          *state_->clock, random);
  if (!queue.ok()) {
    return core::makeError(queue.error().code,
                           "queue " + queue_location.uri + ": " + queue.error().message);
  }
  state_->queue = queue->get();
  return std::unique_ptr<queue::Queue>(std::move(queue).value());
}

AwsRequestFigures AwsBackends::requestFigures() const {
  AwsRequestFigures figures;
  if (state_->lake != nullptr) {
    const auto stats = state_->lake->stats();
    figures.s3 = {true, stats.requests, stats.retries, stats.throttled};
  }
  if (state_->queue != nullptr) {
    const auto stats = state_->queue->requestStats();
    figures.sqs = {true, stats.requests, stats.retries, stats.throttled};
  }
  return figures;
}

namespace {

// arn:aws:events:REGION:ACCOUNT:event-bus/NAME -> REGION; "" for a plain bus name.
std::string regionOfArn(const std::string& bus) {
  const auto arn = core::parseArn(bus);
  return arn ? arn->region : "";
}

}  // namespace

core::Result<std::unique_ptr<events::EventSink>> AwsBackends::openEventSink(
    const config::EventsSettings& events, core::Random& random) {
  auto named = [&events](const core::Error& error) {
    return core::makeError(error.code, "events " + events.uri + ": " + error.message);
  };
  if (events.kind == config::EventsKind::kEventBridge) {
    events::eventbridge::EventBridgeSinkOptions options;
    options.event_bus = events.address;
    options.source = events.source;
    const std::string arn_region = regionOfArn(events.address);
    options.region = arn_region.empty() ? state_->region : arn_region;
    auto endpoint = aws::resolveEndpoint(state_->env, "events", options.region);
    if (!endpoint.ok())
      return named(endpoint.error());
    options.endpoint = *endpoint;
    return std::unique_ptr<events::EventSink>(
        std::make_unique<events::eventbridge::EventBridgeEventSink>(
            std::move(options), *state_->http, *state_->credentials, *state_->clock, random));
  }
  if (events.kind == config::EventsKind::kSqs) {
    queue::sqs::SqsQueueOptions queue_options;
    if (events.uri.rfind("sqs://", 0) == 0) {
      queue_options.queue_name = events.address;
    } else {
      queue_options.queue_url = events.address;
    }
    if (auto resolved = queue::sqs::resolveFromEnvironment(queue_options, state_->env);
        !resolved.ok()) {
      return named(resolved.error());
    }
    auto endpoint = aws::parseEndpoint(queue_options.endpoint);
    if (!endpoint.ok())
      return named(endpoint.error());
    events::sqs::SqsSinkOptions options;
    options.queue_url = queue_options.queue_url;
    options.queue_name = queue_options.queue_name;
    options.client.target = queue::sqs::SqsTarget{*endpoint, queue_options.region};
    return std::unique_ptr<events::EventSink>(std::make_unique<events::sqs::SqsEventSink>(
        std::move(options), *state_->http, *state_->credentials, *state_->clock, random));
  }
  return core::makeError(core::ErrorCode::kInvalidInput,
                         "events " + events.uri + ": not an AWS event sink");
}

core::Result<std::vector<std::string>> AwsBackends::provisionQueue(
    const config::QueueLocation& queue, std::chrono::seconds worker_timeout, int max_receives,
    std::chrono::seconds dlq_retention, core::Random& random) {
  queue::sqs::ProvisionOptions options;
  options.queue_name =
      isQueueUrl(queue) ? queue.address.substr(queue.address.rfind('/') + 1) : queue.address;
  if (options.queue_name.empty()) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "queue '" + queue.uri + "': no queue name to provision");
  }
  options.region = state_->region;
  auto endpoint = aws::resolveEndpoint(state_->env, "sqs", state_->region);
  if (!endpoint.ok())
    return endpoint.error();
  options.endpoint = endpoint->origin() + endpoint->base_path;
  options.worker_timeout = worker_timeout;
  options.max_receives = max_receives;
  options.dlq_retention = dlq_retention;
  auto report =
      queue::sqs::provision(options, *state_->http, *state_->credentials, *state_->clock, random);
  if (!report.ok())
    return report.error();
  std::vector<std::string> lines;
  for (const auto& change : report->changes)
    lines.push_back(change.describe());
  return lines;
}

}  // namespace rawfeed::app
