#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "core/serial_executor.h"
#include "http/http_client.h"
#include "sources/source.h"
#include "sources/yahoo/yahoo_session.h"

namespace rawfeed::sources::yahoo {

// When chart requests carry Yahoo's cookie + crumb (yahoo_session.h). The chart endpoint has
// mostly not needed one, and a session is two more requests a refusal can start with.
enum class SessionMode {
  kAuto,    // none until a chart request is refused with 401/403; from then on, every request
  kAlways,  // from the first request
  kNever,   // none: a 401/403 is kBlocked at once
};

// "auto", "always", "never".
std::optional<SessionMode> parseSessionMode(std::string_view text);

struct YahooSourceOptions {
  std::string base_url = "https://query2.finance.yahoo.com";
  // Yahoo answers library user agents with 429 (API_NOTES §6); look like a browser.
  std::string user_agent =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0.0.0 Safari/537.36";
  std::chrono::milliseconds timeout{30000};
  int max_retries = 2;  // re-sends after the first attempt, for throttled/transient answers
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{10000};
  // The HttpClient is a governed one (http/governor): it paces and pauses the host, so a 429 is
  // re-sent at once and waits there, without spending max_retries, up to max_throttled_retries
  // times; each attempt gives up when the host is paused beyond throttle_wait from its start
  // (the chunk then goes back to the queue rather than holding its message).
  bool governed = false;
  std::chrono::milliseconds throttle_wait{120000};
  int max_throttled_retries = 8;
  SessionMode session = SessionMode::kAuto;
  std::string cookie_url{kDefaultCookieUrl};
  std::string crumb_url{kDefaultCrumbUrl};
  // Answers are decoded on a thread of the source's own rather than the HTTP client's: its
  // loop thread serves every other transfer, and decoding is about a third of its work (what
  // the source registry's sources do). false: on the client's thread, as a test's synchronous
  // client wants.
  bool decode_on_own_thread = false;
};

// Fetches GET /v8/finance/chart/{symbol} through an HttpClient and decodes it. Throttled and
// transient answers (429, 5xx, unreadable bodies, transport errors) are re-sent up to
// max_retries times after a full-jitter exponential backoff, or after Retry-After when given,
// both capped at backoff_max; the wait is HttpRequest::not_before, so no thread sleeps. With a
// FetchRequest::start_by, no attempt starts after it and throttled answers are retried beyond
// max_retries while the retry still starts in time.
// A chart request refused with 401/403 (not another kBlocked: a consent page needs more than a
// crumb) obtains the session (SessionMode::kAuto) or a fresh one in place of the one it carried,
// and is re-sent, outside max_retries. A session refused before it ever served is refused once
// more at most: a client Yahoo refuses whatever it carries ends kBlocked. One refused after it
// served has gone stale and is replaced (a few times per fetch at most). A session that cannot
// be had ends the fetch kThrottled (the crumb endpoint is rate limiting), kTransient (no answer)
// or kBlocked, with the step that failed in the reason.
// `done` runs once, on the client's thread or the source's own (decode_on_own_thread), with
// attempts and the last http_status filled in.
// Thread-safe; must outlive its in-flight fetches.
class YahooSource final : public Source {
 public:
  YahooSource(http::HttpClient& http, const core::Clock& clock, core::Random& random,
              YahooSourceOptions options);

  void fetch(FetchRequest request, Callback done) override;
  // GET /v8/finance/chart/AAPL?range=1d&interval=1d, 10 s.
  std::optional<http::HttpRequest> probeRequest() const override;

 private:
  struct Fetch;
  void send(std::shared_ptr<Fetch> fetch, core::SteadyTime not_before);
  void onResponse(std::shared_ptr<Fetch> fetch, core::Result<http::HttpResponse> response);
  // Re-sends (or first sends) `fetch` with the session; `refused` is the answer that asked for
  // one (empty before the first request), kept in the reason if no session can be had.
  void sendWithSession(std::shared_ptr<Fetch> fetch, FetchResult refused);
  // After a 401/403: true when `fetch` went on with a session, false when it has had its fresh
  // one and `result` stands.
  bool retryWithSession(std::shared_ptr<Fetch>& fetch, FetchResult& result);
  void complete(std::shared_ptr<Fetch> fetch, FetchResult result);

  http::HttpClient& http_;
  const core::Clock& clock_;
  core::Random& random_;
  const YahooSourceOptions options_;
  YahooSession session_;
  // kAuto: a chart request was refused without a session, so every fetch now starts with one.
  std::atomic<bool> session_needed_{false};
  // With decode_on_own_thread: where answers are decoded. Last: destroyed first, the answers
  // posted to it decoded while everything else lives.
  std::unique_ptr<core::SerialExecutor> decoder_;
};

}  // namespace rawfeed::sources::yahoo
