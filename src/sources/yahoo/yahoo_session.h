#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::sources::yahoo {

inline constexpr std::string_view kDefaultCookieUrl = "https://fc.yahoo.com";
inline constexpr std::string_view kDefaultCrumbUrl =
    "https://query1.finance.yahoo.com/v1/test/getcrumb";

struct YahooSessionOptions {
  std::string cookie_url{kDefaultCookieUrl};
  std::string crumb_url{kDefaultCrumbUrl};
  // The chart requests' own: Yahoo ties a session to the client that asked for it.
  std::string user_agent;
  std::chrono::milliseconds timeout{30000};
  // On a governed client (http/governor), give up when the host is paused beyond throttle_wait
  // rather than keep every fetch waiting for this session behind the pause.
  bool governed = false;
  std::chrono::milliseconds throttle_wait{120000};
};

// What a chart request carries.
struct SessionCredentials {
  std::string cookie;            // the Cookie header: every name=value Yahoo set, "; "-joined
  std::string crumb;             // as Yahoo sent it; the query parameter percent-encodes it
  std::uint64_t generation = 0;  // 1, 2, ... in the order sessions were obtained
};

// Yahoo's cookie + crumb session (fixtures/yahoo/RATE_LIMITS.md): GET cookie_url, which answers
// (a 404 is fine) with Set-Cookie, then GET crumb_url with that cookie, whose body is the crumb.
// One session serves every fetch of the process: acquire() hands out the one held, and fetches
// that ask while none is held share a single acquisition. A crumb body that is empty, longer
// than 64 characters, holds whitespace or HTML, or reads "Too Many Requests" is refused.
// Errors (message: the step, the URL and what came back): kThrottled (429, or a crumb reading
// "Too Many Requests": the endpoint is rate limiting), kTransient (5xx, no answer),
// kUnauthenticated (no cookie set, the cookie refused), kPermanent (a body that is not a
// crumb), kCancelled (the client is stopping). A failure is not remembered: the next acquire()
// tries again. Thread-safe; must outlive its acquisitions.
class YahooSession {
 public:
  // Runs exactly once: before acquire() returns when a session is held, else on the client's
  // thread when the acquisition ends.
  using Callback = std::function<void(core::Result<SessionCredentials>)>;

  YahooSession(http::HttpClient& http, const core::Clock& clock, YahooSessionOptions options);
  YahooSession(const YahooSession&) = delete;
  YahooSession& operator=(const YahooSession&) = delete;

  void acquire(Callback done);
  // Drops the session held if it is still `generation`: of many requests refused with the same
  // session, the first makes the next acquire() obtain a new one and the rest share it.
  void invalidate(std::uint64_t generation);
  std::optional<SessionCredentials> current() const;

  // A chart request carrying `generation` was answered rather than refused.
  void served(std::uint64_t generation);
  // True when `generation` has served a request or a newer session exists: a refusal with it
  // then says the crumb went stale (Yahoo rotates them), not that Yahoo refuses this client.
  bool outlived(std::uint64_t generation) const;

 private:
  http::HttpRequest requestFor(const std::string& url) const;
  void requestCookie();
  void requestCrumb(std::string cookie);
  void finish(core::Result<SessionCredentials> result);

  http::HttpClient& http_;
  const core::Clock& clock_;
  const YahooSessionOptions options_;

  mutable std::mutex mutex_;  // guards current_, acquiring_, waiters_, generation_, served_
  std::optional<SessionCredentials> current_;
  bool acquiring_ = false;
  std::vector<Callback> waiters_;  // every acquire() made while acquiring_
  std::uint64_t generation_ = 0;   // of the newest session obtained
  std::uint64_t served_ = 0;       // the newest generation that has served a request
};

// The Cookie header a response asks for: the name=value of every Set-Cookie, "; "-joined;
// empty when it sets none.
std::string cookieHeaderOf(const http::HttpResponse& response);

// The crumb in a getcrumb answer, or why it is none (the codes of YahooSession; the message says
// what came back, e.g. `200 "Too Many Requests": the crumb endpoint is rate limiting`).
core::Result<std::string> crumbOf(int status, std::string_view body);

}  // namespace rawfeed::sources::yahoo
