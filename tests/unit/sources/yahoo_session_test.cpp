// Yahoo's cookie + crumb session, alone and as YahooSource uses it, through a scripted
// HttpClient: no network, no threads, no clock but a fake one.
#include "sources/yahoo/yahoo_session.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sources/yahoo/yahoo_source.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"

namespace rawfeed::sources::yahoo {
namespace {

constexpr const char* kCookieUrl = "http://yahoo.test/cookie";
constexpr const char* kCrumbUrl = "http://yahoo.test/v1/test/getcrumb";
constexpr const char* kUserAgent = "Mozilla/5.0 test";
constexpr const char* kInvalidCrumb =
    R"({"chart":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})";
constexpr const char* kOkBody =
    R"({"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York","gmtoffset":-18000},)"
    R"("timestamp":[1577975400],"indicators":{"quote":[{"open":[74.06],"high":[75.15],)"
    R"("low":[73.8],"close":[75.0875015258789],"volume":[135480400]}]}}],"error":null}})";

http::HttpResponse response(int status, std::string body, http::Headers headers = {}) {
  http::HttpResponse answer;
  answer.status = status;
  answer.body = std::move(body);
  answer.headers = std::move(headers);
  return answer;
}

http::HttpResponse cookiePage(const std::string& a3) {
  return response(404, "<html>Not Found</html>", {{"set-cookie", "A3=" + a3 + "; Path=/"}});
}

std::optional<std::string> headerOf(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name)
      return value;
  }
  return std::nullopt;
}

class YahooSessionTest : public ::testing::Test {
 protected:
  YahooSessionOptions options() const {
    YahooSessionOptions o;
    o.cookie_url = kCookieUrl;
    o.crumb_url = kCrumbUrl;
    o.user_agent = kUserAgent;
    return o;
  }

  // Acquires once; the callback must have run by the time the script is spent.
  core::Result<SessionCredentials> acquire(YahooSession& session) {
    std::optional<core::Result<SessionCredentials>> got;
    session.acquire([&](core::Result<SessionCredentials> result) { got = std::move(result); });
    if (!got)
      return core::makeError(core::ErrorCode::kInternal, "acquire() did not call back");
    return std::move(*got);
  }

  fakes::FakeHttpClient http_;
  fakes::FakeClock clock_;
};

TEST_F(YahooSessionTest, GetsTheCookieThenTheCrumbWithIt) {
  http_.answer(response(404, "<html>Not Found</html>",
                        {{"content-type", "text/html"},
                         {"set-cookie", "A3=d=AQABBK&S=AQAAAm; Expires=Sun, 1 Jan 2034; Path=/"},
                         {"set-cookie", "B=xyz; Domain=.yahoo.com"},
                         {"set-cookie", "; HttpOnly"}}));
  http_.answer(response(200, "abc.DEF/ghi\n"));
  YahooSession session(http_, clock_, options());
  const auto got = acquire(session);
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->cookie, "A3=d=AQABBK&S=AQAAAm; B=xyz");
  EXPECT_EQ(got->crumb, "abc.DEF/ghi");
  EXPECT_EQ(got->generation, 1u);

  ASSERT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(http_.requests()[0].url, kCookieUrl);
  EXPECT_EQ(headerOf(http_.requests()[0], "User-Agent"), kUserAgent);
  EXPECT_EQ(headerOf(http_.requests()[0], "Cookie"), std::nullopt);
  EXPECT_EQ(http_.requests()[1].url, kCrumbUrl);
  EXPECT_EQ(headerOf(http_.requests()[1], "User-Agent"), kUserAgent);
  EXPECT_EQ(headerOf(http_.requests()[1], "Cookie"), "A3=d=AQABBK&S=AQAAAm; B=xyz");

  // Held: the next caller gets it without a request.
  const auto again = acquire(session);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->crumb, "abc.DEF/ghi");
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(YahooSessionTest, RefusesWhatIsNotACrumb) {
  struct Case {
    const char* name;
    int status;
    std::string body;
    core::ErrorCode code;
    const char* says;
  };
  const Case cases[] = {
      {"html", 200, "<!DOCTYPE html><html><body>consent</body></html>", core::ErrorCode::kPermanent,
       "HTML page"},
      {"too many requests", 200, "Too Many Requests\r\n", core::ErrorCode::kThrottled,
       R"(200 "Too Many Requests": the crumb endpoint is rate limiting)"},
      {"429", 429, "Edge: Too Many Requests", core::ErrorCode::kThrottled, "rate limiting"},
      {"empty", 200, " \n", core::ErrorCode::kPermanent, "empty body"},
      {"whitespace", 200, "not a crumb", core::ErrorCode::kPermanent, R"("not a crumb")"},
      {"too long", 200, std::string(65, 'a'), core::ErrorCode::kPermanent, "instead of a crumb"},
      {"cookie refused", 401,
       R"({"finance":{"error":{"code":"Unauthorized","description":"Invalid Cookie"}}})",
       core::ErrorCode::kUnauthenticated, "Invalid Cookie"},
      {"5xx", 503, "upstream", core::ErrorCode::kTransient, "503"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fakes::FakeHttpClient http;
    http.answer(cookiePage("x"));
    http.answer(response(c.status, c.body));
    YahooSession session(http, clock_, options());
    std::optional<core::Result<SessionCredentials>> got;
    session.acquire([&](core::Result<SessionCredentials> result) { got = std::move(result); });
    ASSERT_TRUE(got.has_value());
    ASSERT_FALSE(got->ok()) << got->value().crumb;
    EXPECT_EQ(got->error().code, c.code) << got->error().describe();
    const std::string& message = got->error().message;
    EXPECT_EQ(message.rfind(std::string("crumb: GET ") + kCrumbUrl + " answered ", 0), 0u)
        << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << message;
    EXPECT_FALSE(session.current().has_value());
  }
  // A 64-character crumb is still one.
  EXPECT_TRUE(crumbOf(200, std::string(64, 'a')).ok());
}

TEST_F(YahooSessionTest, ACookieStepFailureNamesItAndIsNotRemembered) {
  http_.answer(response(404, "<html>Not Found</html>"));
  http_.fail(core::ErrorCode::kTransient, "connection reset");
  http_.answer(cookiePage("x"));
  http_.answer(response(200, "crumb1"));
  YahooSession session(http_, clock_, options());

  const auto none = acquire(session);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(none.error().message,
            std::string("cookie: GET ") + kCookieUrl + " answered 404 without a Set-Cookie header");

  const auto reset = acquire(session);
  ASSERT_FALSE(reset.ok());
  EXPECT_EQ(reset.error().code, core::ErrorCode::kTransient);
  EXPECT_NE(reset.error().message.find("cookie: GET"), std::string::npos);
  EXPECT_NE(reset.error().message.find("connection reset"), std::string::npos);

  const auto got = acquire(session);
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->generation, 1u);
  EXPECT_EQ(http_.requests().size(), 4u);
}

TEST_F(YahooSessionTest, ConcurrentCallersShareOneAcquisition) {
  http_.hold();
  YahooSession session(http_, clock_, options());
  std::vector<core::Result<SessionCredentials>> got;
  for (int i = 0; i < 3; ++i)
    session.acquire([&](core::Result<SessionCredentials> result) { got.push_back(result); });
  EXPECT_TRUE(got.empty());
  ASSERT_EQ(http_.requests().size(), 1u);  // one cookie request for the three

  ASSERT_TRUE(http_.respond(cookiePage("shared")));
  ASSERT_EQ(http_.requests().size(), 2u);  // one crumb request
  EXPECT_EQ(http_.requests()[1].url, kCrumbUrl);
  // A fourth caller while the crumb is on its way joins too.
  session.acquire([&](core::Result<SessionCredentials> result) { got.push_back(result); });
  EXPECT_EQ(http_.requests().size(), 2u);

  ASSERT_TRUE(http_.respond(response(200, "crumb1")));
  ASSERT_EQ(got.size(), 4u);
  for (const auto& result : got) {
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->cookie, "A3=shared");
    EXPECT_EQ(result->crumb, "crumb1");
    EXPECT_EQ(result->generation, 1u);
  }
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(YahooSessionTest, InvalidateDropsOnlyTheGenerationTheCallerUsed) {
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(cookiePage("two"));
  http_.answer(response(200, "crumb2"));
  YahooSession session(http_, clock_, options());
  ASSERT_TRUE(acquire(session).ok());

  session.invalidate(0);
  session.invalidate(2);
  ASSERT_TRUE(session.current().has_value());
  EXPECT_EQ(session.current()->generation, 1u);

  // Twenty requests refused with generation 1: one refresh.
  for (int i = 0; i < 20; ++i) {
    session.invalidate(1);
    const auto got = acquire(session);
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got->generation, 2u);
    EXPECT_EQ(got->crumb, "crumb2");
    EXPECT_EQ(got->cookie, "A3=two");
  }
  EXPECT_EQ(http_.requests().size(), 4u);
}

TEST_F(YahooSessionTest, ASessionIsOutlivedOnceItServedOrWasReplaced) {
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(cookiePage("two"));
  http_.answer(response(200, "crumb2"));
  YahooSession session(http_, clock_, options());
  ASSERT_TRUE(acquire(session).ok());
  EXPECT_FALSE(session.outlived(1));  // a refusal now would be of a session never used
  session.served(1);
  EXPECT_TRUE(session.outlived(1));
  session.invalidate(1);
  ASSERT_EQ(acquire(session)->generation, 2u);
  EXPECT_TRUE(session.outlived(1));
  EXPECT_FALSE(session.outlived(2));
}

TEST(CookieHeaderOf, TakesOnlyTheNameValueOfEverySetCookie) {
  EXPECT_EQ(cookieHeaderOf(response(404, "",
                                    {{"set-cookie", "A3=x; Path=/; HttpOnly"},
                                     {"content-type", "text/html"},
                                     {"set-cookie", " B = y "},
                                     {"set-cookie", "=nameless"},
                                     {"set-cookie", "novalue"}})),
            "A3=x; B = y");
  EXPECT_EQ(cookieHeaderOf(response(404, "")), "");
}

TEST(ParseSessionMode, KnowsTheThreeModes) {
  EXPECT_EQ(parseSessionMode("auto"), SessionMode::kAuto);
  EXPECT_EQ(parseSessionMode("always"), SessionMode::kAlways);
  EXPECT_EQ(parseSessionMode("never"), SessionMode::kNever);
  EXPECT_EQ(parseSessionMode("Auto"), std::nullopt);
  EXPECT_EQ(parseSessionMode(""), std::nullopt);
}

constexpr const char* kChartUrl =
    "http://chart.test/v8/finance/chart/AAPL?interval=1d&period1=1577836800&period2=1578009600"
    "&events=div%7Csplit%7CcapitalGains&includePrePost=false";

class YahooSourceSessionTest : public ::testing::Test {
 protected:
  YahooSourceOptions options(SessionMode mode) const {
    YahooSourceOptions o;
    o.base_url = "http://chart.test";
    o.user_agent = kUserAgent;
    o.cookie_url = kCookieUrl;
    o.crumb_url = kCrumbUrl;
    o.session = mode;
    return o;
  }

  static FetchRequest request() {
    FetchRequest r;
    r.symbol = "AAPL";
    r.window = TimeWindow{1577836800, 1578009600};
    return r;
  }

  std::vector<FetchResult> fetch(YahooSource& source) {
    std::vector<FetchResult> results;
    source.fetch(request(), [&](FetchResult r) { results.push_back(std::move(r)); });
    return results;
  }

  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& r : http_.requests())
      out.push_back(r.url);
    return out;
  }

  fakes::FakeHttpClient http_;
  fakes::FakeClock clock_;
  fakes::FixedRandom random_;
};

TEST_F(YahooSourceSessionTest, AutoObtainsASessionOnA401AndRetriesWithIt) {
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("abc"));
  http_.answer(response(200, "abc.DEF/gh="));
  http_.answer(response(200, kOkBody));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAuto));
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk) << results[0].reason;
  EXPECT_EQ(results[0].attempts, 2);
  const std::string with_crumb = std::string(kChartUrl) + "&crumb=abc.DEF%2Fgh%3D";
  EXPECT_EQ(urls(), (std::vector<std::string>{kChartUrl, kCookieUrl, kCrumbUrl, with_crumb}));
  EXPECT_EQ(headerOf(http_.requests()[0], "Cookie"), std::nullopt);
  EXPECT_EQ(headerOf(http_.requests()[3], "Cookie"), "A3=abc");
  EXPECT_EQ(headerOf(http_.requests()[3], "User-Agent"), kUserAgent);

  // Later fetches carry the session from the start.
  http_.answer(response(200, kOkBody));
  const auto later = fetch(source);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].outcome, FetchOutcome::kOk);
  EXPECT_EQ(later[0].attempts, 1);
  ASSERT_EQ(http_.requests().size(), 5u);
  EXPECT_EQ(http_.requests()[4].url, with_crumb);
  EXPECT_EQ(headerOf(http_.requests()[4], "Cookie"), "A3=abc");
}

TEST_F(YahooSourceSessionTest, AutoLeavesAConsentPageAlone) {
  // A consent page or a redirect is blocked too, but a crumb does not get past it.
  http_.answer(response(200, "<!DOCTYPE html><html><body>consent</body></html>"));
  http_.answer(response(302, "", {{"location", "https://consent.yahoo.com/v2/collectConsent"}}));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAuto));
  for (int i = 0; i < 2; ++i) {
    const auto results = fetch(source);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, FetchOutcome::kBlocked);
  }
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(YahooSourceSessionTest, ARefusedSessionIsRefreshedOnceThenTheFetchIsBlocked) {
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("two"));
  http_.answer(response(200, "crumb2"));
  http_.answer(response(403, "<html>Forbidden</html>"));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAlways));
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kBlocked);
  EXPECT_EQ(results[0].http_status, 403);
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_NE(results[0].reason.find("blocked even with a fresh cookie and crumb"), std::string::npos)
      << results[0].reason;
  EXPECT_EQ(urls(), (std::vector<std::string>{
                        kCookieUrl, kCrumbUrl, std::string(kChartUrl) + "&crumb=crumb1", kCookieUrl,
                        kCrumbUrl, std::string(kChartUrl) + "&crumb=crumb2"}));
  EXPECT_EQ(headerOf(http_.requests()[5], "Cookie"), "A3=two");
}

TEST_F(YahooSourceSessionTest, ACrumbGoneStaleIsReplacedWithoutSpendingTheFreshRetry) {
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(response(200, kOkBody));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAlways));
  ASSERT_EQ(fetch(source).at(0).outcome, FetchOutcome::kOk);

  // crumb1 served, so its 401 means it went stale; crumb2 never served, so its 401 spends the
  // one fresh retry; crumb3 works.
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("two"));
  http_.answer(response(200, "crumb2"));
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("three"));
  http_.answer(response(200, "crumb3"));
  http_.answer(response(200, kOkBody));
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kOk) << results[0].reason;
  EXPECT_EQ(results[0].attempts, 3);
  ASSERT_EQ(http_.requests().size(), 10u);
  EXPECT_EQ(http_.requests()[9].url, std::string(kChartUrl) + "&crumb=crumb3");
  EXPECT_EQ(http_.unusedAnswers(), 0u);
}

TEST_F(YahooSourceSessionTest, AutoGetsOneFreshSessionAfterTheOneItWasGiven) {
  // The first 401 (no session) obtains one, the second (with it) a fresh one, the third ends it.
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(response(401, kInvalidCrumb));
  http_.answer(cookiePage("two"));
  http_.answer(response(200, "crumb2"));
  http_.answer(response(401, kInvalidCrumb));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAuto));
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kBlocked);
  EXPECT_EQ(results[0].attempts, 3);
  EXPECT_NE(results[0].reason.find("Invalid Crumb"), std::string::npos) << results[0].reason;
  EXPECT_NE(results[0].reason.find("blocked even with a fresh cookie and crumb"), std::string::npos)
      << results[0].reason;
  EXPECT_EQ(http_.requests().size(), 7u);
}

TEST_F(YahooSourceSessionTest, NeverStaysBlocked) {
  for (int status : {401, 403}) {
    SCOPED_TRACE(status);
    fakes::FakeHttpClient http;
    http.answer(response(status, kInvalidCrumb));
    YahooSource source(http, clock_, random_, options(SessionMode::kNever));
    std::vector<FetchResult> results;
    source.fetch(request(), [&](FetchResult r) { results.push_back(std::move(r)); });
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, FetchOutcome::kBlocked);
    EXPECT_EQ(results[0].attempts, 1);
    ASSERT_EQ(http.requests().size(), 1u);
    EXPECT_EQ(http.requests()[0].url, kChartUrl);
  }
}

TEST_F(YahooSourceSessionTest, ASessionThatCannotBeHadNamesTheStep) {
  struct Case {
    const char* name;
    std::vector<core::Result<http::HttpResponse>> session_answers;
    FetchOutcome outcome;
    const char* says;
  };
  const Case cases[] = {
      {"crumb rate limited",
       {cookiePage("x"), response(200, "Too Many Requests")},
       FetchOutcome::kThrottled,
       R"(crumb: GET http://yahoo.test/v1/test/getcrumb answered 200 "Too Many Requests": the )"
       "crumb endpoint is rate limiting"},
      {"crumb html",
       {cookiePage("x"), response(200, "<html><body>consent</body></html>")},
       FetchOutcome::kBlocked,
       "crumb: GET http://yahoo.test/v1/test/getcrumb answered 200 with an HTML page"},
      {"no cookie",
       {response(404, "")},
       FetchOutcome::kBlocked,
       "cookie: GET http://yahoo.test/cookie answered 404 without a Set-Cookie header"},
      {"cookie unreachable",
       {core::makeError(core::ErrorCode::kTransient, "connection refused")},
       FetchOutcome::kTransient,
       "cookie: GET http://yahoo.test/cookie failed: transient: connection refused"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fakes::FakeHttpClient http;
    http.answer(response(401, kInvalidCrumb));
    for (const auto& answer : c.session_answers)
      http.answer(answer);
    YahooSource source(http, clock_, random_, options(SessionMode::kAuto));
    std::vector<FetchResult> results;
    source.fetch(request(), [&](FetchResult r) { results.push_back(std::move(r)); });
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, c.outcome);
    EXPECT_EQ(results[0].http_status, 401);
    EXPECT_EQ(results[0].attempts, 1);
    EXPECT_NE(results[0].reason.find("401 Unauthorized: Invalid Crumb"), std::string::npos)
        << results[0].reason;
    EXPECT_NE(results[0].reason.find(c.says), std::string::npos) << results[0].reason;
    EXPECT_EQ(http.unusedAnswers(), 0u);
  }
}

TEST_F(YahooSourceSessionTest, AlwaysFailingToGetASessionSendsNoChartRequest) {
  http_.answer(cookiePage("x"));
  http_.answer(response(200, "Too Many Requests"));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAlways));
  const auto results = fetch(source);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, FetchOutcome::kThrottled);
  EXPECT_EQ(results[0].attempts, 0);
  EXPECT_EQ(results[0].reason.rfind("no Yahoo session (cookie + crumb): crumb: GET ", 0), 0u)
      << results[0].reason;
  EXPECT_EQ(urls(), (std::vector<std::string>{kCookieUrl, kCrumbUrl}));
}

TEST_F(YahooSourceSessionTest, ConcurrentRefusalsWithOneSessionRefreshItOnce) {
  http_.answer(cookiePage("one"));
  http_.answer(response(200, "crumb1"));
  http_.answer(response(200, kOkBody));
  YahooSource source(http_, clock_, random_, options(SessionMode::kAlways));
  ASSERT_EQ(fetch(source).size(), 1u);
  ASSERT_EQ(http_.requests().size(), 3u);

  http_.hold();
  std::vector<FetchResult> results;
  for (int i = 0; i < 3; ++i)
    source.fetch(request(), [&](FetchResult r) { results.push_back(std::move(r)); });
  ASSERT_EQ(http_.requests().size(), 6u);  // three charts with crumb1
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(http_.respond(response(401, kInvalidCrumb)));
  ASSERT_EQ(http_.requests().size(), 7u);  // one cookie request for the three
  EXPECT_EQ(http_.requests()[6].url, kCookieUrl);
  ASSERT_TRUE(http_.respond(cookiePage("two")));
  ASSERT_TRUE(http_.respond(response(200, "crumb2")));
  ASSERT_EQ(http_.requests().size(), 11u);  // the crumb, then the three charts again
  for (std::size_t i = 8; i < 11; ++i) {
    EXPECT_EQ(http_.requests()[i].url, std::string(kChartUrl) + "&crumb=crumb2");
    EXPECT_EQ(headerOf(http_.requests()[i], "Cookie"), "A3=two");
  }
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(http_.respond(response(200, kOkBody)));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& result : results) {
    EXPECT_EQ(result.outcome, FetchOutcome::kOk) << result.reason;
    EXPECT_EQ(result.attempts, 2);
  }
}

}  // namespace
}  // namespace rawfeed::sources::yahoo
