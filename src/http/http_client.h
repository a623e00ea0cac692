#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rawfeed::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  // The whole exchange, connect included; zero: no limit (a long poll that returns when work
  // comes, like the Lambda Runtime API's next invocation).
  std::chrono::milliseconds timeout{30000};
  // Not started before this instant (backoff without holding a thread); default: at once.
  core::SteadyTime not_before{};
  // Not started after this instant: a request still waiting then (for its not_before or for a
  // slot of its host) fails with kCancelled instead of starting; default: no limit. Lets a
  // caller with a deadline stop work it can no longer finish without cancelling the rest.
  core::SteadyTime start_by{};
  // For a governed client (http/governor): a request whose host is paused by its rate limit
  // beyond this instant fails with kThrottled at once instead of waiting out the pause; pacing
  // waits never fail it. Default: wait for any pause.
  core::SteadyTime pause_horizon{};
  // 1 for a first attempt, n for the (n-1)th retry of the same exchange. A governed client lets
  // retries go before first attempts: they have waited longest, and one that succeeds tells the
  // governor more than a fresh request that may meet the same refusal.
  int attempt = 1;
  // false: the body comes back exactly as sent, even with a Content-Encoding (an S3 object
  // stored gzipped must be read as stored, whatever the server thinks of encodings).
  bool decode_content = true;
};

struct HttpResponse {
  int status = 0;
  Headers headers;     // names lower-cased
  std::string body;    // already decoded from Content-Encoding
  double seconds = 0;  // time from start of transfer to the last byte

  // The first header of that (case-insensitive) name.
  std::optional<std::string> header(std::string_view name) const;
};

// An asynchronous HTTP client. send() never blocks; `done` runs exactly once, on a thread of the
// client's, and must be quick (hand heavy work to another thread). Any status is a response;
// errors are only for exchanges that produced none: kTransient (connect failure, reset,
// timeout, truncated body), kInvalidInput (malformed URL), kCancelled (client shutting down, or
// start_by passed before the request could start).
// Thread-safe.
class HttpClient {
 public:
  using Callback = std::function<void(core::Result<HttpResponse>)>;
  virtual ~HttpClient() = default;
  virtual void send(HttpRequest request, Callback done) = 0;

  // Blocking convenience for callers that have nothing else to do meanwhile.
  core::Result<HttpResponse> perform(HttpRequest request);
};

}  // namespace rawfeed::http
