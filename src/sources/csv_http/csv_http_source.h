#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "http/http_client.h"
#include "sources/lookback.h"
#include "sources/source.h"
#include "sources/source_descriptor.h"

namespace rawfeed::sources::csv_http {

// GET {base_url}/{SYMBOL}.csv?start=YYYY-MM-DD&end=YYYY-MM-DD (both inclusive, UTC days).
std::string barsUrl(std::string_view base_url, std::string_view symbol, const DayRange& days);

// The days a request asks for: a window's days (its end exclusive; no end: up to today), or
// its lookback ending today. kInvalidInput for an unknown lookback.
core::Result<DayRange> requestedDays(const FetchRequest& request, std::int64_t today);

// Daily bars as CSV over HTTP (data_source = "csv_http"). Answers are read by parseCsvBars;
// 404/410 is kNotFound, 429 kThrottled (Retry-After kept), 401/403 kBlocked, another 4xx
// kBadRequest, 408/5xx, a transport failure and a body that is not the format kTransient.
// Throttled and transient answers are re-sent up to max_retries times after a full-jitter
// backoff (or Retry-After, capped at 10 s) through HttpRequest::not_before, never after a
// FetchRequest::start_by. Only interval 1d is served: another is kBadRequest at once.
// `done` runs once, on the client's thread. Thread-safe; must outlive its in-flight fetches.
class CsvHttpSource final : public Source {
 public:
  CsvHttpSource(http::HttpClient& http, const core::Clock& clock, core::Random& random,
                SourceSettings settings);

  void fetch(FetchRequest request, Callback done) override;
  // GET {base_url}/, 10 s: any answer, a 404 too, shows the server is up.
  std::optional<http::HttpRequest> probeRequest() const override;

 private:
  struct Fetch;
  void send(std::shared_ptr<Fetch> fetch, core::SteadyTime not_before);
  void onResponse(std::shared_ptr<Fetch> fetch, core::Result<http::HttpResponse> response);

  http::HttpClient& http_;
  const core::Clock& clock_;
  core::Random& random_;
  const SourceSettings settings_;
};

}  // namespace rawfeed::sources::csv_http
