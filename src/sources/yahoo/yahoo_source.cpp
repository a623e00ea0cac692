#include "sources/yahoo/yahoo_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "sources/yahoo/backoff.h"
#include "sources/yahoo/yahoo_decoder.h"
#include "sources/yahoo/yahoo_url.h"

namespace rawfeed::sources::yahoo {
namespace {

bool retryable(FetchOutcome outcome) {
  return outcome == FetchOutcome::kThrottled || outcome == FetchOutcome::kTransient;
}

FetchResult transportFailure(const FetchRequest& request, const core::Error& error) {
  FetchResult result;
  result.symbol = request.symbol;
  result.reason = fmt::format("no response: {}", error.describe());
  // A URL the client cannot send is ours to fix, not Yahoo's to recover from.
  result.outcome = error.code == core::ErrorCode::kInvalidInput ? FetchOutcome::kBadRequest
                                                                : FetchOutcome::kTransient;
  if (error.code == core::ErrorCode::kThrottled) {
    // The governor held it back: the host is paused longer than this fetch may wait.
    result.outcome = FetchOutcome::kThrottled;
    result.reason = error.message;
  }
  return result;
}

}  // namespace

struct YahooSource::Fetch {
  FetchRequest request;
  Callback done;
  http::HttpRequest http_request;
  int attempts = 0;
  int throttled = 0;
};

YahooSource::YahooSource(http::HttpClient& http, const core::Clock& clock, core::Random& random,
                         YahooSourceOptions options)
    : http_(http), clock_(clock), random_(random), options_(std::move(options)) {}

void YahooSource::fetch(FetchRequest request, Callback done) {
  auto fetch = std::make_shared<Fetch>();
  fetch->http_request.url = chartUrl(options_.base_url, request);
  fetch->http_request.headers = {{"User-Agent", options_.user_agent},
                                 {"Accept", "application/json"}};
  fetch->http_request.timeout = options_.timeout;
  if (request.start_by)
    fetch->http_request.start_by = *request.start_by;
  fetch->request = std::move(request);
  fetch->done = std::move(done);
  send(std::move(fetch), core::SteadyTime{});
}

void YahooSource::send(std::shared_ptr<Fetch> fetch, core::SteadyTime not_before) {
  ++fetch->attempts;
  http::HttpRequest request = fetch->http_request;
  request.not_before = not_before;
  if (options_.governed) {
    request.pause_horizon =
        std::max(not_before, clock_.steadyNow()) +
        std::chrono::duration_cast<core::SteadyTime::duration>(options_.throttle_wait);
  }
  http_.send(std::move(request), [this, fetch](core::Result<http::HttpResponse> response) {
    onResponse(fetch, std::move(response));
  });
}

void YahooSource::onResponse(std::shared_ptr<Fetch> fetch,
                             core::Result<http::HttpResponse> response) {
  FetchResult result;
  std::optional<std::chrono::milliseconds> retry_after;
  bool may_retry = false;
  if (response.ok()) {
    result = decode(response->status, response->body, fetch->request, clock_.now()).result;
    may_retry = retryable(result.outcome);
    if (auto header = response->header("retry-after")) {
      retry_after = parseRetryAfter(*header, clock_.now());
    }
  } else {
    result = transportFailure(fetch->request, response.error());
    may_retry = response.error().code == core::ErrorCode::kTransient;
  }
  if (retry_after)
    result.retry_after = *retry_after;
  const auto& start_by = fetch->request.start_by;
  const bool throttled = result.outcome == FetchOutcome::kThrottled && response.ok();
  if (throttled && options_.governed) {
    // The governor learned from this 429 and holds the retry until the host may take it.
    if (++fetch->throttled <= options_.max_throttled_retries) {
      send(std::move(fetch), clock_.steadyNow());
      return;
    }
    may_retry = false;
  }
  // With a deadline, a throttled symbol keeps being retried while time allows: a 429 is the
  // source asking for patience, and a redelivery would cost a receive of the whole message.
  const bool within_budget = fetch->attempts - fetch->throttled <= options_.max_retries ||
                             (start_by && result.outcome == FetchOutcome::kThrottled);
  if (may_retry && within_budget) {
    const BackoffPolicy policy{options_.backoff_base, options_.backoff_max};
    const std::chrono::milliseconds delay = retry_after
                                                ? std::min(*retry_after, options_.backoff_max)
                                                : backoffDelay(policy, fetch->attempts, random_);
    const core::SteadyTime next = clock_.steadyNow() + delay;
    if (!start_by || next <= *start_by) {
      send(std::move(fetch), next);
      return;
    }
  }
  result.attempts = fetch->attempts;
  if (fetch->attempts > 1 && !result.reason.empty()) {
    result.reason += fmt::format(" (after {} attempts)", fetch->attempts);
  }
  Callback done = std::move(fetch->done);
  done(std::move(result));
}

}  // namespace rawfeed::sources::yahoo
