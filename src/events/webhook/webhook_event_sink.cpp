#include "events/webhook/webhook_event_sink.h"

#include <algorithm>

#include <fmt/format.h>

namespace rawfeed::events::webhook {

namespace {

core::ErrorCode statusCode(int status) {
  if (status == 429)
    return core::ErrorCode::kThrottled;
  if (status == 408 || status >= 500)
    return core::ErrorCode::kTransient;
  if (status == 401 || status == 403)
    return core::ErrorCode::kUnauthenticated;
  if (status == 404)
    return core::ErrorCode::kNotFound;
  if (status >= 400)
    return core::ErrorCode::kInvalidInput;
  return core::ErrorCode::kPermanent;
}

// The body as one short line, for an error message.
std::string snippet(std::string_view body) {
  std::string text(body.substr(0, 200));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

core::Status webhookAnswer(const http::HttpResponse& response, std::string_view url) {
  if (response.status >= 200 && response.status < 300)
    return core::okStatus();
  return core::makeError(statusCode(response.status),
                         fmt::format("webhook {}: HTTP {}{}{}", url, response.status,
                                     response.body.empty() ? "" : ": ", snippet(response.body)));
}

WebhookEventSink::WebhookEventSink(WebhookSinkOptions options, http::HttpClient& http,
                                   const core::Clock& clock, core::Random& random)
    : options_(std::move(options)), http_(http), clock_(clock), random_(random) {}

core::Status WebhookEventSink::publish(std::string_view event_json) {
  int attempts = 0;
  auto outcome = core::retryWithBackoff(
      options_.retry, clock_, random_, clock_.steadyNow(),
      [&](core::SteadyTime not_before) { return attempt(event_json, not_before); }, [](int) {},
      &attempts);
  if (!outcome.ok() && attempts > 1) {
    return core::makeError(outcome.error().code, fmt::format("{} (after {} attempts)",
                                                             outcome.error().message, attempts));
  }
  return outcome;
}

core::Status WebhookEventSink::attempt(std::string_view event_json, core::SteadyTime not_before) {
  http::HttpRequest request;
  request.method = "POST";
  request.url = options_.url;
  request.headers = {{"Content-Type", "application/json"}};
  if (!options_.bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + options_.bearer_token);
  }
  request.body = std::string(event_json);
  request.timeout = options_.request_timeout;
  request.not_before = not_before;
  auto response = http_.perform(std::move(request));
  if (!response.ok()) {
    return core::makeError(response.error().code,
                           fmt::format("webhook {}: {}", options_.url, response.error().message));
  }
  return webhookAnswer(*response, options_.url);
}

}  // namespace rawfeed::events::webhook
