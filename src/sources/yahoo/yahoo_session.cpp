#include "sources/yahoo/yahoo_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/ascii.h"

namespace rawfeed::sources::yahoo {
namespace {

constexpr std::size_t kMaxCrumbLength = 64;
constexpr std::size_t kCrumbSnippetBytes = 100;
constexpr std::string_view kTooManyRequests = "Too Many Requests";

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// The first bytes of a body, printable and quoted, for a message.
std::string quoted(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, kCrumbSnippetBytes)) {
    if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (body.size() > kCrumbSnippetBytes)
    out += "...";
  return fmt::format("\"{}\"", out);
}

core::ErrorCode codeOfStatus(int status) {
  if (status == 429)
    return core::ErrorCode::kThrottled;
  if (status >= 500)
    return core::ErrorCode::kTransient;
  return core::ErrorCode::kUnauthenticated;
}

}  // namespace

std::string cookieHeaderOf(const http::HttpResponse& response) {
  std::string cookie;
  for (const auto& [name, value] : response.headers) {
    if (name != "set-cookie")
      continue;
    // Only name=value goes back; Path, Domain, Expires and the like are for the cookie jar.
    const std::string_view pair =
        core::trimAscii(std::string_view(value).substr(0, value.find(';')), " \t\r\n\v\f");
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0)
      continue;
    if (!cookie.empty())
      cookie += "; ";
    cookie += pair;
  }
  return cookie;
}

core::Result<std::string> crumbOf(int status, std::string_view body) {
  const std::string_view crumb = core::trimAscii(body, " \t\r\n\v\f");
  // yfinance #2441: the crumb endpoint rate limits with this text, sometimes under a 200.
  if (status == 429 || crumb.find(kTooManyRequests) != std::string_view::npos) {
    return core::makeError(
        core::ErrorCode::kThrottled,
        fmt::format("{} {}: the crumb endpoint is rate limiting", status, quoted(crumb)));
  }
  if (status == 401 || status == 403) {
    return core::makeError(core::ErrorCode::kUnauthenticated,
                           fmt::format("{} {}: the cookie was refused", status, quoted(crumb)));
  }
  if (status != 200)
    return core::makeError(codeOfStatus(status), fmt::format("{} {}", status, quoted(crumb)));
  if (crumb.empty()) {
    return core::makeError(core::ErrorCode::kPermanent,
                           "200 with an empty body instead of a crumb");
  }
  if (crumb.front() == '<') {
    return core::makeError(core::ErrorCode::kPermanent,
                           fmt::format("200 with an HTML page instead of a crumb (a consent or "
                                       "bot-check page?): {}",
                                       quoted(crumb)));
  }
  if (crumb.size() > kMaxCrumbLength || std::any_of(crumb.begin(), crumb.end(), isSpace)) {
    return core::makeError(core::ErrorCode::kPermanent,
                           fmt::format("200 with {} instead of a crumb (a crumb is one short "
                                       "word)",
                                       quoted(crumb)));
  }
  return std::string(crumb);
}

YahooSession::YahooSession(http::HttpClient& http, const core::Clock& clock,
                           YahooSessionOptions options)
    : http_(http), clock_(clock), options_(std::move(options)) {}

void YahooSession::acquire(Callback done) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (current_) {
    SessionCredentials held = *current_;
    lock.unlock();
    done(std::move(held));
    return;
  }
  waiters_.push_back(std::move(done));
  if (acquiring_)
    return;
  acquiring_ = true;
  lock.unlock();
  requestCookie();
}

void YahooSession::invalidate(std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_ && current_->generation == generation)
    current_.reset();
}

std::optional<SessionCredentials> YahooSession::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

void YahooSession::served(std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  served_ = std::max(served_, generation);
}

bool YahooSession::outlived(std::uint64_t generation) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation < generation_ || generation <= served_;
}

http::HttpRequest YahooSession::requestFor(const std::string& url) const {
  http::HttpRequest request;
  request.url = url;
  request.headers = {{"User-Agent", options_.user_agent}};
  request.timeout = options_.timeout;
  if (options_.governed) {
    request.pause_horizon =
        clock_.steadyNow() +
        std::chrono::duration_cast<core::SteadyTime::duration>(options_.throttle_wait);
  }
  return request;
}

void YahooSession::requestCookie() {
  http_.send(requestFor(options_.cookie_url), [this](core::Result<http::HttpResponse> response) {
    const std::string& url = options_.cookie_url;
    if (!response.ok()) {
      finish(core::makeError(response.error().code, fmt::format("cookie: GET {} failed: {}", url,
                                                                response.error().describe())));
      return;
    }
    std::string cookie = cookieHeaderOf(*response);
    if (cookie.empty()) {
      finish(core::makeError(codeOfStatus(response->status),
                             fmt::format("cookie: GET {} answered {} without a Set-Cookie header",
                                         url, response->status)));
      return;
    }
    requestCrumb(std::move(cookie));
  });
}

void YahooSession::requestCrumb(std::string cookie) {
  http::HttpRequest request = requestFor(options_.crumb_url);
  request.headers.emplace_back("Cookie", cookie);
  http_.send(std::move(request), [this, cookie = std::move(cookie)](
                                     core::Result<http::HttpResponse> response) mutable {
    const std::string& url = options_.crumb_url;
    if (!response.ok()) {
      finish(core::makeError(response.error().code, fmt::format("crumb: GET {} failed: {}", url,
                                                                response.error().describe())));
      return;
    }
    auto crumb = crumbOf(response->status, response->body);
    if (!crumb.ok()) {
      finish(core::makeError(crumb.error().code,
                             fmt::format("crumb: GET {} answered {}", url, crumb.error().message)));
      return;
    }
    finish(SessionCredentials{std::move(cookie), std::move(crumb).value(), 0});
  });
}

void YahooSession::finish(core::Result<SessionCredentials> result) {
  std::vector<Callback> waiters;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    acquiring_ = false;
    if (result.ok()) {
      result->generation = ++generation_;
      current_ = *result;
    }
    waiters.swap(waiters_);
  }
  for (auto& done : waiters)
    done(result);
}

}  // namespace rawfeed::sources::yahoo
