#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/random.h"
#include "events/event_sink.h"
#include "http/http_client.h"

namespace rawfeed::events::webhook {

struct WebhookSinkOptions {
  std::string url;
  std::string bearer_token;  // empty: no Authorization header
  std::chrono::milliseconds request_timeout{10000};
  core::RetryPolicy retry{3, std::chrono::milliseconds(500), std::chrono::milliseconds(10000)};
};

// POSTs each completion event, as written to the local log, with Content-Type application/json
// and, when a token is configured, Authorization: Bearer. Any 2xx is a delivery. Transport
// failures, 408, 429 and 5xx are retried with backoff carried by HttpRequest::not_before; other
// answers are not: 401/403 kUnauthenticated, 404 kNotFound, other 4xx kInvalidInput, 3xx
// kPermanent, each naming the status and the start of the body. The token never appears in an
// error. Thread-safe.
class WebhookEventSink final : public EventSink {
 public:
  WebhookEventSink(WebhookSinkOptions options, http::HttpClient& http, const core::Clock& clock,
                   core::Random& random);

  core::Status publish(std::string_view event_json) override;

 private:
  core::Status attempt(std::string_view event_json, core::SteadyTime not_before);

  WebhookSinkOptions options_;
  http::HttpClient& http_;
  const core::Clock& clock_;
  core::Random& random_;
};

// The classification above, for one answer.
core::Status webhookAnswer(const http::HttpResponse& response, std::string_view url);

}  // namespace rawfeed::events::webhook
