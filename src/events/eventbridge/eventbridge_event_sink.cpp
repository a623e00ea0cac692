#include "events/eventbridge/eventbridge_event_sink.h"

#include <algorithm>

#include <fmt/format.h>

#include "aws/signing_key.h"
#include "events/eventbridge/put_events.h"

namespace rawfeed::events::eventbridge {

namespace {

bool retryable(const core::Error& error) {
  return error.code == core::ErrorCode::kThrottled || error.code == core::ErrorCode::kTransient;
}

}  // namespace

EventBridgeEventSink::EventBridgeEventSink(EventBridgeSinkOptions options, http::HttpClient& http,
                                           aws::CredentialsProvider& credentials,
                                           const core::Clock& clock, core::Random& random)
    : options_(std::move(options)),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      signing_keys_(std::make_unique<aws::SigningKeyCache>()) {}

EventBridgeEventSink::~EventBridgeEventSink() = default;

std::vector<aws::ApiOperation> EventBridgeEventSink::operations() {
  return {aws::events_api::kPutEvents};
}

core::Status EventBridgeEventSink::publish(std::string_view event_json) {
  auto body = putEventsBody(event_json, options_.source, options_.event_bus);
  if (!body.ok())
    return body.error();
  core::SteadyTime not_before = clock_.steadyNow();
  const int retries = std::max(0, options_.retry.max_retries);
  for (int retry = 0;; ++retry) {
    auto outcome = attempt(*body, not_before);
    if (outcome.ok() || !retryable(outcome.error()) || retry >= retries) {
      if (!outcome.ok() && retry > 0) {
        return core::makeError(outcome.error().code,
                               fmt::format("{} (after {} attempts, bus {})",
                                           outcome.error().message, retry + 1, options_.event_bus));
      }
      return outcome;
    }
    not_before = clock_.steadyNow() + core::backoffDelay(options_.retry, retry + 1, random_);
  }
}

core::Status EventBridgeEventSink::attempt(const std::string& body, core::SteadyTime not_before) {
  auto credentials = credentials_.credentials();
  if (!credentials.ok())
    return credentials.error();
  auto request = buildPutEventsRequest(options_.endpoint, options_.region, body, *credentials,
                                       clock_.now(), signing_keys_.get());
  if (!request.ok())
    return request.error();
  request->timeout = options_.request_timeout;
  request->not_before = not_before;
  auto response = http_.perform(std::move(request).value());
  if (!response.ok()) {
    return core::makeError(response.error().code,
                           "EventBridge PutEvents: " + response.error().message);
  }
  return readPutEventsAnswer(*response);
}

}  // namespace rawfeed::events::eventbridge
