#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "alarms/alarm_action.h"
#include "core/clock.h"
#include "http/http_client.h"
#include "observe/logger.h"

namespace rawfeed::alarms {

struct WebhookOptions {
  std::string url;
  http::Headers headers;  // e.g. Authorization, read from the environment by the caller
  int max_attempts = 5;   // the first try included
  std::chrono::milliseconds initial_backoff{1000};  // doubled per retry, up to max_backoff
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::milliseconds timeout{10000};  // per attempt
  int max_pending = 64;  // notifications under way at once; more are dropped (and logged)
};

// POSTs {"alarm","domain","state","previous_state","reason","time"} (time ISO 8601 UTC) to a
// URL through the asynchronous HttpClient. notify() only starts the first attempt. A transport
// error, 408, 429 or 5xx is retried after a backoff carried by the request's not_before (no
// thread waits); other statuses end the delivery. Every outcome is logged:
// alarm_webhook_delivered / alarm_webhook_retry / alarm_webhook_failed / alarm_webhook_dropped.
// The client, clock and logger must outlive the deliveries under way (the client's shutdown
// ends them). Thread-safe.
class WebhookAction final : public AlarmAction {
 public:
  WebhookAction(http::HttpClient& client, const core::Clock& clock, observe::Logger& logger,
                WebhookOptions options);
  void notify(const Transition& transition) override;

 private:
  struct Shared;
  struct Delivery;
  static void attempt(const std::shared_ptr<Shared>& shared,
                      const std::shared_ptr<Delivery>& delivery);
  static void onResponse(const std::shared_ptr<Shared>& shared,
                         const std::shared_ptr<Delivery>& delivery,
                         core::Result<http::HttpResponse> response);

  // Callbacks hold this, so that a delivery finishing after the action is gone stays safe.
  std::shared_ptr<Shared> shared_;
};

// The JSON body of one notification.
std::string webhookBody(const Transition& transition);

}  // namespace rawfeed::alarms
