#include "events/eventbridge/eventbridge_event_sink.h"

#include <algorithm>

#include <fmt/format.h>

#include "aws/signing_key.h"
#include "events/eventbridge/put_events.h"

namespace rawfeed::events::eventbridge {

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
  int attempts = 0;
  auto outcome = core::retryWithBackoff(
      options_.retry, clock_, random_, clock_.steadyNow(),
      [&](core::SteadyTime not_before) { return attempt(*body, not_before); }, [](int) {},
      &attempts);
  if (!outcome.ok() && attempts > 1) {
    return core::makeError(outcome.error().code,
                           fmt::format("{} (after {} attempts, bus {})", outcome.error().message,
                                       attempts, options_.event_bus));
  }
  return outcome;
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
