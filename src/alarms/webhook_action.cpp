#include "alarms/webhook_action.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace rawfeed::alarms {

struct WebhookAction::Shared {
  http::HttpClient& client;
  const core::Clock& clock;
  observe::Logger& logger;
  WebhookOptions options;
  std::atomic<int> pending{0};
};

struct WebhookAction::Delivery {
  Transition transition;
  std::string body;
  int attempts = 0;
};

namespace {

bool retryableStatus(int status) {
  return status == 408 || status == 429 || status >= 500;
}

bool retryableError(core::ErrorCode code) {
  return code == core::ErrorCode::kTransient || code == core::ErrorCode::kThrottled;
}

}  // namespace

std::string webhookBody(const Transition& t) {
  nlohmann::ordered_json body;
  body["alarm"] = t.alarm;
  body["domain"] = t.domain;
  body["state"] = alarmStateName(t.to);
  body["previous_state"] = alarmStateName(t.from);
  body["reason"] = t.reason;
  body["time"] = core::formatIsoUtc(t.time);
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

WebhookAction::WebhookAction(http::HttpClient& client, const core::Clock& clock,
                             observe::Logger& logger, WebhookOptions options)
    : shared_(std::make_shared<Shared>(client, clock, logger, std::move(options))) {}

void WebhookAction::notify(const Transition& transition) {
  if (shared_->pending.fetch_add(1) >= shared_->options.max_pending) {
    shared_->pending.fetch_sub(1);
    shared_->logger.error("alarm_webhook_dropped", {{"alarm", transition.alarm},
                                                    {"domain", transition.domain},
                                                    {"state", alarmStateName(transition.to)},
                                                    {"reason", "too many deliveries under way"}});
    return;
  }
  auto delivery = std::make_shared<Delivery>(Delivery{transition, webhookBody(transition), 0});
  attempt(shared_, delivery);
}

void WebhookAction::attempt(const std::shared_ptr<Shared>& shared,
                            const std::shared_ptr<Delivery>& delivery) {
  http::HttpRequest request;
  request.method = "POST";
  request.url = shared->options.url;
  request.headers = shared->options.headers;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = delivery->body;
  request.timeout = shared->options.timeout;
  if (delivery->attempts > 0) {
    // 1 s, 2 s, 4 s ... after the 1st, 2nd, 3rd failure, capped.
    auto backoff = shared->options.initial_backoff;
    for (int i = 1; i < delivery->attempts && backoff < shared->options.max_backoff; ++i) {
      backoff *= 2;
    }
    request.not_before = shared->clock.steadyNow() + std::min(backoff, shared->options.max_backoff);
  }
  ++delivery->attempts;
  shared->client.send(std::move(request), [shared, delivery](core::Result<http::HttpResponse> r) {
    onResponse(shared, delivery, std::move(r));
  });
}

void WebhookAction::onResponse(const std::shared_ptr<Shared>& shared,
                               const std::shared_ptr<Delivery>& delivery,
                               core::Result<http::HttpResponse> response) {
  const Transition& t = delivery->transition;
  std::string problem;
  bool retry = false;
  if (response.ok()) {
    const int status = response->status;
    if (status >= 200 && status < 300) {
      shared->logger.info("alarm_webhook_delivered", {{"alarm", t.alarm},
                                                      {"domain", t.domain},
                                                      {"state", alarmStateName(t.to)},
                                                      {"status", status},
                                                      {"attempts", delivery->attempts}});
      shared->pending.fetch_sub(1);
      return;
    }
    problem = "HTTP ";
    problem += std::to_string(status);
    retry = retryableStatus(status);
  } else {
    problem = response.error().describe();
    retry = retryableError(response.error().code);
  }
  if (retry && delivery->attempts < shared->options.max_attempts) {
    shared->logger.warn("alarm_webhook_retry", {{"alarm", t.alarm},
                                                {"domain", t.domain},
                                                {"attempt", delivery->attempts},
                                                {"error", problem}});
    attempt(shared, delivery);
    return;
  }
  shared->logger.error("alarm_webhook_failed", {{"alarm", t.alarm},
                                                {"domain", t.domain},
                                                {"state", alarmStateName(t.to)},
                                                {"attempts", delivery->attempts},
                                                {"error", problem}});
  shared->pending.fetch_sub(1);
}

}  // namespace rawfeed::alarms
