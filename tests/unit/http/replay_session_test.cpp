#include "support/replay_session.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rawfeed::testing {
namespace {

constexpr std::string_view kInvalidCrumb =
    R"({"chart":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})";

std::optional<std::string> header(const SessionAnswer& answer, std::string_view name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

// "A3=token; Path=/; HttpOnly" → "A3=token", what a client sends back.
std::string cookieHeaderFrom(const SessionAnswer& page) {
  const std::string set_cookie = header(page, "set-cookie").value_or("");
  return set_cookie.substr(0, set_cookie.find(';'));
}

ReplaySession requireCrumb(int rotate_after = 0) {
  ReplaySession session;
  session.require_crumb = true;
  session.rotate_after = rotate_after;
  return session;
}

TEST(CookieValue, FindsTheNamedCookie) {
  EXPECT_EQ(cookieValue("A3=abc", "A3"), "abc");
  EXPECT_EQ(cookieValue("B=1; A3=abc; C=2", "A3"), "abc");
  EXPECT_EQ(cookieValue("  A3 = abc ;", "A3"), "abc");
  EXPECT_EQ(cookieValue("XA3=abc; A1=d", "A3"), std::nullopt);
  EXPECT_EQ(cookieValue("", "A3"), std::nullopt);
  EXPECT_EQ(cookieValue("A3", "A3"), std::nullopt);
}

TEST(SessionBlockNames, ParseKnownAndRejectOthers) {
  EXPECT_EQ(parseSessionBlock(""), SessionBlock::kNone);
  EXPECT_EQ(parseSessionBlock("html"), SessionBlock::kHtml);
  EXPECT_EQ(parseSessionBlock("403"), SessionBlock::k403);
  EXPECT_EQ(parseSessionBlock("redirect"), SessionBlock::kRedirect);
  EXPECT_EQ(parseSessionBlock("captcha"), std::nullopt);
  ReplaySession bad;
  bad.block = "captcha";
  EXPECT_THROW(SessionGate{bad}, std::invalid_argument);
  SessionGate gate;
  EXPECT_THROW(gate.setSession(bad), std::invalid_argument);
}

TEST(SessionGate, CookiePageIsA404SettingA3) {
  SessionGate gate;
  const SessionAnswer page = gate.cookie();
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u);
  const auto set_cookie = header(page, "set-cookie");
  ASSERT_TRUE(set_cookie);
  EXPECT_EQ(set_cookie->rfind("A3=", 0), 0u);
  EXPECT_NE(set_cookie->find("; Path=/; HttpOnly"), std::string::npos);
  EXPECT_NE(cookieHeaderFrom(gate.cookie()), cookieHeaderFrom(page));  // each a new session
}

TEST(SessionGate, CrumbNeedsAKnownCookieAndStaysTheSame) {
  SessionGate gate;
  EXPECT_EQ(gate.crumb("").status, 401);
  EXPECT_EQ(gate.crumb("A3=forged").status, 401);
  const std::string cookie = cookieHeaderFrom(gate.cookie());
  const SessionAnswer first = gate.crumb(cookie);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.content_type.rfind("text/plain", 0), 0u);
  EXPECT_EQ(first.body.size(), 11u);
  EXPECT_EQ(gate.crumb("B=1; " + cookie).body, first.body);
}

TEST(SessionGate, CookiesAndCrumbsRepeatForASeed) {
  SessionGate first;
  SessionGate second;
  const std::string cookie = cookieHeaderFrom(first.cookie());
  EXPECT_EQ(cookieHeaderFrom(second.cookie()), cookie);
  EXPECT_EQ(first.crumb(cookie).body, second.crumb(cookie).body);
}

TEST(SessionGate, ChartsPassWhenNoCrumbIsRequired) {
  SessionGate gate;
  EXPECT_EQ(gate.chart("", ""), std::nullopt);
}

TEST(SessionGate, ChartNeedsTheCookiesOwnCrumb) {
  SessionGate gate(requireCrumb());
  const std::string cookie = cookieHeaderFrom(gate.cookie());
  const std::string crumb = gate.crumb(cookie).body;
  const std::string other_cookie = cookieHeaderFrom(gate.cookie());
  const std::string other_crumb = gate.crumb(other_cookie).body;
  ASSERT_NE(crumb, other_crumb);

  EXPECT_EQ(gate.chart(cookie, crumb), std::nullopt);
  for (const auto& [cookie_header, query_crumb] : std::vector<std::pair<std::string, std::string>>{
           {"", ""}, {"", crumb}, {cookie, ""}, {cookie, other_crumb}, {"A3=x", crumb}}) {
    const auto refusal = gate.chart(cookie_header, query_crumb);
    ASSERT_TRUE(refusal) << cookie_header << " / " << query_crumb;
    EXPECT_EQ(refusal->status, 401);
    EXPECT_EQ(refusal->content_type, "application/json;charset=utf-8");
    EXPECT_EQ(refusal->body, kInvalidCrumb);
  }
}

TEST(SessionGate, CrumbRotatesAfterItsUses) {
  SessionGate gate(requireCrumb(2));
  const std::string cookie = cookieHeaderFrom(gate.cookie());
  const std::string crumb = gate.crumb(cookie).body;
  EXPECT_EQ(gate.chart(cookie, crumb), std::nullopt);
  EXPECT_EQ(gate.chart(cookie, crumb), std::nullopt);
  ASSERT_TRUE(gate.chart(cookie, crumb));
  EXPECT_EQ(gate.chart(cookie, crumb)->status, 401);
  const std::string next = gate.crumb(cookie).body;
  EXPECT_NE(next, crumb);
  EXPECT_EQ(gate.chart(cookie, next), std::nullopt);
  EXPECT_EQ(gate.chart(cookie, crumb)->status, 401);  // refusals do not count as uses
  EXPECT_EQ(gate.chart(cookie, next), std::nullopt);
  EXPECT_TRUE(gate.chart(cookie, next));
}

TEST(SessionGate, CrumbBodyReplacesTheCrumb) {
  ReplaySession session;
  session.crumb_body = "Too Many Requests";
  session.crumb_status = 429;
  SessionGate gate(session);
  const std::string cookie = cookieHeaderFrom(gate.cookie());
  SessionAnswer answer = gate.crumb(cookie);
  EXPECT_EQ(answer.status, 429);
  EXPECT_EQ(answer.body, "Too Many Requests");
  EXPECT_EQ(answer.content_type.rfind("text/html", 0), 0u);

  session.crumb_body = "<html><body>consent</body></html>";
  session.crumb_status = 200;
  gate.setSession(session);
  answer = gate.crumb(cookie);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type.rfind("text/html", 0), 0u);

  session.crumb_body.reset();
  gate.setSession(session);
  EXPECT_EQ(gate.crumb(cookie).status, 200);  // the cookie outlived the change
  EXPECT_EQ(gate.crumb(cookie).body.size(), 11u);
}

TEST(SessionGate, BlockModesReplaceEveryChart) {
  struct Case {
    std::string block;
    int status;
    std::optional<std::string> location;
  };
  for (const Case& c : std::vector<Case>{
           {"html", 200, std::nullopt},
           {"403", 403, std::nullopt},
           {"redirect", 302, "https://consent.yahoo.com/v2/collectConsent?sessionId=x"}}) {
    ReplaySession session;
    session.block = c.block;
    SessionGate gate(session);
    const auto page = gate.chart("", "");
    ASSERT_TRUE(page) << c.block;
    EXPECT_EQ(page->status, c.status) << c.block;
    EXPECT_EQ(page->content_type.rfind("text/html", 0), 0u) << c.block;
    EXPECT_EQ(header(*page, "location"), c.location) << c.block;
  }
}

}  // namespace
}  // namespace rawfeed::testing
