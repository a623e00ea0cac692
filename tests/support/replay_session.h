#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// Test support: Yahoo's cookie + crumb session, and the pages it answers when it blocks a
// client, for the replay server. Real Yahoo: a cookie from https://fc.yahoo.com (a 404 page that
// sets A3), then GET /v1/test/getcrumb with that cookie; chart requests carry both.
namespace rawfeed::testing {

struct ReplaySession {
  // Chart requests need the current crumb (query `crumb=`) of the session named by cookie A3;
  // without both they get Yahoo's 401 "Invalid Crumb" JSON.
  bool require_crumb = false;
  // A crumb stops being valid after this many chart requests (0: never); the next getcrumb for
  // that cookie issues a new one.
  int rotate_after = 0;
  std::optional<std::string> crumb_body;  // getcrumb answers this instead of a crumb...
  int crumb_status = 200;                 // ...with this status
  // "" none; "html": charts answer a 200 text/html consent page; "403": 403 text/html;
  // "redirect": 302 to consent.yahoo.com. Other values are rejected by SessionGate.
  std::string block;
  std::uint64_t seed = 1;  // cookies and crumbs are random, but repeatable per seed
};

enum class SessionBlock { kNone, kHtml, k403, kRedirect };

// "", "html", "403", "redirect".
std::optional<SessionBlock> parseSessionBlock(std::string_view text);

// A response that replaces what the server would have answered. Header names lower-cased.
struct SessionAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Issues cookies and crumbs and judges chart requests. Sessions outlive setSession(), so a
// test may tighten the rules on a client that already holds a cookie. Thread-safe.
class SessionGate {
 public:
  // Throws std::invalid_argument on an unknown `block`.
  explicit SessionGate(ReplaySession session = {});
  void setSession(ReplaySession session);
  ReplaySession session() const;

  // The fc.yahoo.com stand-in: a 404 page setting a new A3 cookie.
  SessionAnswer cookie();
  // getcrumb: the session's crumb (the same one until it rotates) for a known A3 cookie.
  SessionAnswer crumb(std::string_view cookie_header);
  // nullopt: the chart request proceeds; else the block page or the 401 that replaces it.
  std::optional<SessionAnswer> chart(std::string_view cookie_header, std::string_view crumb);

 private:
  struct Session {
    std::optional<std::string> crumb;  // unset: none issued yet, or rotated out
    int uses = 0;                      // chart requests admitted with the current crumb
    // The crumb rotated out, never issued next: a client that did not refresh must see a 401.
    std::string retired;
  };

  std::string randomText(std::string_view alphabet, std::size_t length);

  mutable std::mutex mutex_;  // guards everything below
  ReplaySession session_;
  SessionBlock block_ = SessionBlock::kNone;
  std::mt19937_64 engine_;
  std::unordered_map<std::string, Session> sessions_;  // by A3 cookie value
};

// The value of cookie `name` in a Cookie request header ("a=1; A3=x" → "x"), if present.
std::optional<std::string> cookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace rawfeed::testing
