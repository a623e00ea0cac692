#include "sources/csv_http/csv_http_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/backoff.h"
#include "core/time_format.h"
#include "http/retry_after.h"
#include "sources/csv_http/csv_bars.h"

namespace rawfeed::sources::csv_http {
namespace {

constexpr std::chrono::milliseconds kBackoffBase{500};
constexpr std::chrono::milliseconds kBackoffCap{10000};

std::int64_t dayOf(core::SystemTime time) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  return seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
}

std::int64_t floorDay(std::int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == '~';
}

std::string percentEncode(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The first bytes of a body, on one line, for a reason.
std::string snippet(std::string_view body) {
  std::string out;
  for (const char c : body.substr(0, 80))
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  return body.size() > 80 ? out + "..." : out;
}

FetchResult decode(const FetchRequest& request, const DayRange& days, std::int64_t today,
                   const http::HttpResponse& response) {
  FetchResult result;
  result.symbol = request.symbol;
  result.http_status = response.status;
  if (response.status != 200) {
    result.outcome = outcomeOfHttpStatus(response.status);
    result.reason = fmt::format("HTTP {}: {}", response.status, snippet(response.body));
    return result;
  }
  auto bars = parseCsvBars(response.body, days, today);
  if (!bars.ok()) {
    result.outcome = FetchOutcome::kTransient;
    result.reason = "unreadable body: " + bars.error().message;
    return result;
  }
  result.outcome = bars->bars == 0 ? FetchOutcome::kEmpty : FetchOutcome::kOk;
  result.exchange_timezone = "UTC";
  result.days = std::move(bars->days);
  result.dropped_null_bars = bars->dropped_null_bars;
  result.dropped_open_bars = bars->dropped_open_bars;
  result.invalid_bars = std::move(bars->invalid_bars);
  return result;
}

FetchResult failure(const FetchRequest& request, FetchOutcome outcome, std::string reason) {
  FetchResult result;
  result.symbol = request.symbol;
  result.outcome = outcome;
  result.reason = std::move(reason);
  return result;
}

}  // namespace

std::string barsUrl(std::string_view base_url, std::string_view symbol, const DayRange& days) {
  while (!base_url.empty() && base_url.back() == '/')
    base_url.remove_suffix(1);
  return fmt::format("{}/{}.csv?start={}&end={}", base_url, percentEncode(symbol),
                     core::formatDate(days.first), core::formatDate(days.last));
}

core::Result<DayRange> requestedDays(const FetchRequest& request, std::int64_t today) {
  if (!request.window)
    return lookbackDays(request.lookback, today);
  DayRange days{floorDay(request.window->start), today};
  if (request.window->end)
    days.last = floorDay(*request.window->end - 1);
  return days;
}

struct CsvHttpSource::Fetch {
  FetchRequest request;
  Callback done;
  DayRange days;
  std::int64_t today = 0;
  http::HttpRequest http_request;
  int attempts = 0;
};

CsvHttpSource::CsvHttpSource(http::HttpClient& http, const core::Clock& clock, core::Random& random,
                             SourceSettings settings)
    : http_(http), clock_(clock), random_(random), settings_(std::move(settings)) {}

std::optional<http::HttpRequest> CsvHttpSource::probeRequest() const {
  std::string_view base = settings_.base_url;
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  http::HttpRequest probe;
  probe.url = std::string(base) + "/";
  probe.headers.emplace_back("User-Agent", settings_.user_agent);
  probe.timeout = std::chrono::seconds(10);
  return probe;
}

void CsvHttpSource::fetch(FetchRequest request, Callback done) {
  if (request.interval != "1d") {
    done(failure(request, FetchOutcome::kBadRequest,
                 "csv_http serves daily bars only (interval 1d, not " + request.interval + ")"));
    return;
  }
  auto fetch = std::make_shared<Fetch>();
  fetch->today = dayOf(clock_.now());
  auto days = requestedDays(request, fetch->today);
  if (!days.ok()) {
    done(failure(request, FetchOutcome::kBadRequest, days.error().message));
    return;
  }
  fetch->days = *days;
  fetch->http_request.url = barsUrl(settings_.base_url, request.symbol, fetch->days);
  fetch->http_request.headers = {{"User-Agent", settings_.user_agent}, {"Accept", "text/csv"}};
  fetch->http_request.timeout = settings_.timeout;
  if (request.start_by)
    fetch->http_request.start_by = *request.start_by;
  fetch->request = std::move(request);
  fetch->done = std::move(done);
  send(std::move(fetch), core::SteadyTime{});
}

void CsvHttpSource::send(std::shared_ptr<Fetch> fetch, core::SteadyTime not_before) {
  ++fetch->attempts;
  http::HttpRequest request = fetch->http_request;
  request.not_before = not_before;
  request.attempt = fetch->attempts;
  if (settings_.governed) {
    request.pause_horizon =
        std::max(not_before, clock_.steadyNow()) +
        std::chrono::duration_cast<core::SteadyTime::duration>(settings_.throttle_wait);
  }
  http_.send(std::move(request), [this, fetch](core::Result<http::HttpResponse> response) {
    onResponse(fetch, std::move(response));
  });
}

void CsvHttpSource::onResponse(std::shared_ptr<Fetch> fetch,
                               core::Result<http::HttpResponse> response) {
  FetchResult result;
  std::optional<std::chrono::milliseconds> retry_after;
  if (response.ok()) {
    result = decode(fetch->request, fetch->days, fetch->today, *response);
    if (auto header = response->header("retry-after"))
      retry_after = http::parseRetryAfter(*header, clock_.now());
  } else {
    const core::Error& error = response.error();
    const FetchOutcome outcome =
        error.code == core::ErrorCode::kThrottled      ? FetchOutcome::kThrottled
        : error.code == core::ErrorCode::kInvalidInput ? FetchOutcome::kBadRequest
                                                       : FetchOutcome::kTransient;
    result = failure(fetch->request, outcome, "no response: " + error.describe());
  }
  if (retry_after)
    result.retry_after = *retry_after;
  // A throttle the governor decided (no response) has already waited as long as it may.
  const bool may_retry = response.ok() ? result.outcome == FetchOutcome::kThrottled ||
                                             result.outcome == FetchOutcome::kTransient
                                       : response.error().code == core::ErrorCode::kTransient;
  if (may_retry && fetch->attempts <= settings_.max_retries) {
    const core::RetryPolicy policy{settings_.max_retries, kBackoffBase, kBackoffCap};
    const std::chrono::milliseconds delay =
        retry_after ? std::min(*retry_after, kBackoffCap)
                    : core::backoffDelay(policy, fetch->attempts, random_);
    const core::SteadyTime next = clock_.steadyNow() + delay;
    if (!fetch->request.start_by || next <= *fetch->request.start_by) {
      send(std::move(fetch), next);
      return;
    }
  }
  result.attempts = fetch->attempts;
  if (fetch->attempts > 1 && !result.reason.empty())
    result.reason += fmt::format(" (after {} attempts)", fetch->attempts);
  Callback done = std::move(fetch->done);
  done(std::move(result));
}

}  // namespace rawfeed::sources::csv_http
