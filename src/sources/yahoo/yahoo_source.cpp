#include "sources/yahoo/yahoo_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "core/backoff.h"
#include "http/retry_after.h"
#include "sources/yahoo/yahoo_decoder.h"
#include "sources/yahoo/yahoo_url.h"

namespace rawfeed::sources::yahoo {
namespace {

// A fetch re-sent this often for a crumb gone stale while it waited is behind many others that
// keep wearing sessions out; it ends kBlocked rather than chase them.
constexpr int kMaxStaleRefreshes = 4;

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

// What a refusal asks of the session: only 401/403 ("Invalid Crumb", "Unauthorized") may be a
// missing or stale crumb; a consent page or a redirect is not cured by one.
bool refusedForSession(const core::Result<http::HttpResponse>& response) {
  return response.ok() && (response->status == 401 || response->status == 403);
}

// The crumb was accepted: Yahoo looked at the request itself (a 429 or 5xx may come from a
// front end that never did).
bool answeredPastTheCrumb(FetchOutcome outcome) {
  return outcome == FetchOutcome::kOk || outcome == FetchOutcome::kEmpty ||
         outcome == FetchOutcome::kNotFound || outcome == FetchOutcome::kBadRequest;
}

// A session that could not be had. Only a rate-limited crumb endpoint is a throttle, and no
// answer at all is transient; anything else means Yahoo will not give this client a session.
FetchResult sessionFailure(FetchResult refused, const core::Error& error) {
  FetchResult result;
  result.symbol = std::move(refused.symbol);
  result.http_status = refused.http_status;
  switch (error.code) {
    case core::ErrorCode::kThrottled:
      result.outcome = FetchOutcome::kThrottled;
      break;
    case core::ErrorCode::kTransient:
    case core::ErrorCode::kCancelled:
      result.outcome = FetchOutcome::kTransient;
      break;
    default:
      result.outcome = FetchOutcome::kBlocked;
      break;
  }
  const std::string why = fmt::format("no Yahoo session (cookie + crumb): {}", error.message);
  result.reason = refused.reason.empty() ? why : fmt::format("{}; {}", refused.reason, why);
  return result;
}

// The crumb as a query value: percentEncode keeps '=', which is not safe there.
std::string crumbParameter(std::string_view crumb) {
  std::string encoded;
  for (char c : percentEncode(crumb)) {
    if (c == '=') {
      encoded += "%3D";
    } else {
      encoded += c;
    }
  }
  return "&crumb=" + encoded;
}

YahooSessionOptions sessionOptions(const YahooSourceOptions& options) {
  YahooSessionOptions session;
  session.cookie_url = options.cookie_url;
  session.crumb_url = options.crumb_url;
  session.user_agent = options.user_agent;
  session.timeout = options.timeout;
  session.governed = options.governed;
  session.throttle_wait = options.throttle_wait;
  return session;
}

}  // namespace

std::optional<SessionMode> parseSessionMode(std::string_view text) {
  if (text == "auto")
    return SessionMode::kAuto;
  if (text == "always")
    return SessionMode::kAlways;
  if (text == "never")
    return SessionMode::kNever;
  return std::nullopt;
}

struct YahooSource::Fetch {
  FetchRequest request;
  Callback done;
  http::HttpRequest http_request;
  int attempts = 0;
  int throttled = 0;
  int session_retries = 0;  // re-sends for a session, outside max_retries like `throttled`
  std::optional<SessionCredentials> credentials;
  bool refreshed = false;   // refused with a session that had never served: it got a fresh one
  int stale_refreshes = 0;  // refused with a session that had served or was superseded
};

YahooSource::YahooSource(http::HttpClient& http, const core::Clock& clock, core::Random& random,
                         YahooSourceOptions options)
    : http_(http),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      session_(http, clock, sessionOptions(options_)),
      decoder_(options_.decode_on_own_thread ? std::make_unique<core::SerialExecutor>() : nullptr) {
}

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
  if (options_.session == SessionMode::kAlways ||
      (options_.session == SessionMode::kAuto && session_needed_.load())) {
    FetchResult none;
    none.symbol = fetch->request.symbol;
    sendWithSession(std::move(fetch), std::move(none));
    return;
  }
  send(std::move(fetch), core::SteadyTime{});
}

std::optional<http::HttpRequest> YahooSource::probeRequest() const {
  std::string_view base = options_.base_url;
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  http::HttpRequest probe;
  probe.url = std::string(base) + "/v8/finance/chart/AAPL?range=1d&interval=1d";
  probe.headers.emplace_back("User-Agent", options_.user_agent);
  probe.timeout = std::chrono::seconds(10);
  return probe;
}

void YahooSource::sendWithSession(std::shared_ptr<Fetch> fetch, FetchResult refused) {
  session_.acquire([this, fetch, refused = std::move(refused)](
                       core::Result<SessionCredentials> credentials) mutable {
    if (!credentials.ok()) {
      complete(std::move(fetch), sessionFailure(std::move(refused), credentials.error()));
      return;
    }
    fetch->credentials = std::move(credentials).value();
    send(std::move(fetch), core::SteadyTime{});
  });
}

bool YahooSource::retryWithSession(std::shared_ptr<Fetch>& fetch, FetchResult& result) {
  if (!fetch->credentials) {
    session_needed_.store(true);
  } else if (session_.outlived(fetch->credentials->generation) &&
             fetch->stale_refreshes < kMaxStaleRefreshes) {
    // A crumb that went stale while this request waited behind others (requests queued at the
    // governor carry the session of when they were sent): no verdict on this client.
    ++fetch->stale_refreshes;
    session_.invalidate(fetch->credentials->generation);
  } else if (!fetch->refreshed) {
    // Of the fetches refused with this session, the first drops it; the others get the new one.
    fetch->refreshed = true;
    session_.invalidate(fetch->credentials->generation);
  } else {
    result.reason +=
        "; blocked even with a fresh cookie and crumb (try another user_agent or address)";
    return false;
  }
  ++fetch->session_retries;
  sendWithSession(std::move(fetch), std::move(result));
  return true;
}

void YahooSource::send(std::shared_ptr<Fetch> fetch, core::SteadyTime not_before) {
  ++fetch->attempts;
  http::HttpRequest request = fetch->http_request;
  request.not_before = not_before;
  request.attempt = fetch->attempts;
  if (fetch->credentials) {
    request.url += crumbParameter(fetch->credentials->crumb);
    request.headers.emplace_back("Cookie", fetch->credentials->cookie);
  }
  if (options_.governed) {
    request.pause_horizon =
        std::max(not_before, clock_.steadyNow()) +
        std::chrono::duration_cast<core::SteadyTime::duration>(options_.throttle_wait);
  }
  http_.send(std::move(request), [this, fetch](core::Result<http::HttpResponse> response) {
    if (!decoder_) {
      onResponse(fetch, std::move(response));
      return;
    }
    decoder_->post([this, fetch, response = std::move(response)]() mutable {
      onResponse(fetch, std::move(response));
    });
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
      retry_after = http::parseRetryAfter(*header, clock_.now());
    }
  } else {
    result = transportFailure(fetch->request, response.error());
    may_retry = response.error().code == core::ErrorCode::kTransient;
  }
  if (options_.session != SessionMode::kNever && refusedForSession(response)) {
    if (retryWithSession(fetch, result))
      return;
  } else if (fetch->credentials && answeredPastTheCrumb(result.outcome)) {
    session_.served(fetch->credentials->generation);
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
  const bool within_budget =
      fetch->attempts - fetch->throttled - fetch->session_retries <= options_.max_retries ||
      (start_by && result.outcome == FetchOutcome::kThrottled);
  if (may_retry && within_budget) {
    const core::RetryPolicy policy{options_.max_retries, options_.backoff_base,
                                   options_.backoff_max};
    const std::chrono::milliseconds delay =
        retry_after ? std::min(*retry_after, options_.backoff_max)
                    : core::backoffDelay(policy, fetch->attempts, random_);
    const core::SteadyTime next = clock_.steadyNow() + delay;
    if (!start_by || next <= *start_by) {
      send(std::move(fetch), next);
      return;
    }
  }
  complete(std::move(fetch), std::move(result));
}

void YahooSource::complete(std::shared_ptr<Fetch> fetch, FetchResult result) {
  result.attempts = fetch->attempts;
  if (fetch->attempts > 1 && !result.reason.empty()) {
    result.reason += fmt::format(" (after {} attempts)", fetch->attempts);
  }
  Callback done = std::move(fetch->done);
  done(std::move(result));
}

}  // namespace rawfeed::sources::yahoo
