#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/api_operations.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/random.h"
#include "events/event_sink.h"
#include "http/http_client.h"

namespace rawfeed::aws {
class SigningKeyCache;
}

namespace rawfeed::events::eventbridge {

struct EventBridgeSinkOptions {
  aws::Endpoint endpoint;  // https://events.REGION.amazonaws.com, or AWS_ENDPOINT_URL_EVENTS
  std::string region;
  std::string event_bus;  // a name or an ARN
  std::string source = "rawfeed";
  std::chrono::milliseconds request_timeout{10000};
  core::RetryPolicy retry{3, std::chrono::milliseconds(200), std::chrono::milliseconds(5000)};
};

// Puts each completion event on an EventBridge bus with PutEvents: Source from the options,
// DetailType the event's "detail-type" ("Extract Batch Completed"), Detail its "detail", so a
// rule matching {"source": ["rawfeed"], "detail-type": ["Extract Batch Completed"]} triggers the
// Transform stage. Throttled and transient failures (of the call or of the entry) are retried
// with backoff carried by HttpRequest::not_before; a failed entry is a failure. publish()
// returns once EventBridge accepted the entry, else the classified error (put_events.h). It does
// not keep the event: the outbox in front of it does. Thread-safe.
class EventBridgeEventSink final : public EventSink {
 public:
  EventBridgeEventSink(EventBridgeSinkOptions options, http::HttpClient& http,
                       aws::CredentialsProvider& credentials, const core::Clock& clock,
                       core::Random& random);
  ~EventBridgeEventSink() override;

  core::Status publish(std::string_view event_json) override;

  // The AWS API operations this sink performs (aws/api_operations.h), whose IAM actions its
  // role must allow: PutEvents on the bus.
  static std::vector<aws::ApiOperation> operations();

 private:
  core::Status attempt(const std::string& body, core::SteadyTime not_before);

  EventBridgeSinkOptions options_;
  http::HttpClient& http_;
  aws::CredentialsProvider& credentials_;
  const core::Clock& clock_;
  core::Random& random_;
  std::unique_ptr<aws::SigningKeyCache> signing_keys_;
};

}  // namespace rawfeed::events::eventbridge
