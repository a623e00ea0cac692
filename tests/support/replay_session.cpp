#include "support/replay_session.h"

#include <stdexcept>

namespace rawfeed::testing {
namespace {

constexpr std::string_view kJson = "application/json;charset=utf-8";
constexpr std::string_view kHtml = "text/html;charset=utf-8";
constexpr std::string_view kInvalidCrumb =
    R"({"chart":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})";
constexpr std::string_view kInvalidCookie =
    R"({"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Cookie"}}})";
constexpr std::string_view kCookiePage =
    "<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Not Found</body></html>";
constexpr std::string_view kConsentPage =
    "<!DOCTYPE html><html><head><title>Yahoo is part of the Yahoo family of brands</title></head>"
    "<body><form method=\"post\" action=\"https://consent.yahoo.com/v2/collectConsent\">"
    "<button name=\"agree\" value=\"agree\">Accept all</button></form></body></html>";
constexpr std::string_view kForbiddenPage =
    "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>";
constexpr std::string_view kConsentUrl = "https://consent.yahoo.com/v2/collectConsent?sessionId=x";
constexpr std::string_view kCookieAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
// Real crumbs contain '.' and '/', which a client must percent-encode in the query.
constexpr std::string_view kCrumbAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./";
constexpr std::size_t kCookieLength = 32;
constexpr std::size_t kCrumbLength = 11;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

SessionAnswer answer(int status, std::string_view content_type, std::string_view body) {
  return SessionAnswer{status, std::string(content_type), std::string(body), {}};
}

SessionBlock blockOf(const ReplaySession& session) {
  auto block = parseSessionBlock(session.block);
  if (!block) {
    throw std::invalid_argument("unknown session block '" + session.block +
                                "' (expected html, 403 or redirect)");
  }
  return *block;
}

}  // namespace

std::optional<SessionBlock> parseSessionBlock(std::string_view text) {
  if (text.empty()) {
    return SessionBlock::kNone;
  }
  if (text == "html") {
    return SessionBlock::kHtml;
  }
  if (text == "403") {
    return SessionBlock::k403;
  }
  if (text == "redirect") {
    return SessionBlock::kRedirect;
  }
  return std::nullopt;
}

std::optional<std::string> cookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const auto end = cookie_header.find(';');
    const std::string_view pair = trim(cookie_header.substr(0, end));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
      return std::string(trim(pair.substr(equals + 1)));
    }
    if (end == std::string_view::npos) {
      break;
    }
    cookie_header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

SessionGate::SessionGate(ReplaySession session)
    : session_(std::move(session)), block_(blockOf(session_)), engine_(session_.seed) {}

void SessionGate::setSession(ReplaySession session) {
  const SessionBlock block = blockOf(session);
  std::lock_guard<std::mutex> lock(mutex_);
  if (session.seed != session_.seed) {
    engine_.seed(session.seed);
  }
  session_ = std::move(session);
  block_ = block;
}

ReplaySession SessionGate::session() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return session_;
}

std::string SessionGate::randomText(std::string_view alphabet, std::size_t length) {
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string text(length, ' ');
  for (char& c : text) {
    c = alphabet[pick(engine_)];
  }
  return text;
}

SessionAnswer SessionGate::cookie() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string token;
  do {
    token = randomText(kCookieAlphabet, kCookieLength);
  } while (sessions_.count(token) != 0);
  sessions_.emplace(token, Session{});
  SessionAnswer page = answer(404, kHtml, kCookiePage);
  page.headers.emplace_back("set-cookie", "A3=" + token + "; Path=/; HttpOnly");
  return page;
}

SessionAnswer SessionGate::crumb(std::string_view cookie_header) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (session_.crumb_body) {
    const bool html = session_.crumb_status != 200 || session_.crumb_body->starts_with("<");
    return answer(session_.crumb_status, html ? kHtml : "text/plain;charset=utf-8",
                  *session_.crumb_body);
  }
  const auto token = cookieValue(cookie_header, "A3");
  auto it = token ? sessions_.find(*token) : sessions_.end();
  if (it == sessions_.end()) {
    return answer(401, kJson, kInvalidCookie);
  }
  Session& session = it->second;
  if (!session.crumb) {
    std::string next;
    do {
      next = randomText(kCrumbAlphabet, kCrumbLength);
    } while (next == session.retired);
    session.crumb = std::move(next);
    session.uses = 0;
  }
  return answer(200, "text/plain;charset=utf-8", *session.crumb);
}

std::optional<SessionAnswer> SessionGate::chart(std::string_view cookie_header,
                                                std::string_view crumb) {
  std::lock_guard<std::mutex> lock(mutex_);
  switch (block_) {
    case SessionBlock::kNone:
      break;
    case SessionBlock::kHtml:
      return answer(200, kHtml, kConsentPage);
    case SessionBlock::k403:
      return answer(403, kHtml, kForbiddenPage);
    case SessionBlock::kRedirect: {
      SessionAnswer redirect = answer(302, kHtml, "");
      redirect.headers.emplace_back("location", std::string(kConsentUrl));
      return redirect;
    }
  }
  if (!session_.require_crumb) {
    return std::nullopt;
  }
  const auto token = cookieValue(cookie_header, "A3");
  auto it = token ? sessions_.find(*token) : sessions_.end();
  if (it == sessions_.end() || !it->second.crumb || *it->second.crumb != crumb) {
    return answer(401, kJson, kInvalidCrumb);
  }
  Session& session = it->second;
  if (session_.rotate_after > 0 && ++session.uses >= session_.rotate_after) {
    session.retired = std::move(*session.crumb);
    session.crumb.reset();
  }
  return std::nullopt;
}

}  // namespace rawfeed::testing
