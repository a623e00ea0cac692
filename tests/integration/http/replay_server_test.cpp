#include "support/replay_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "http/curl/curl_http_client.h"
#include "support/yahoo_fixtures.h"

// The replay server's own behaviour, observed through the curl client over real sockets.
namespace rawfeed::testing {
namespace {

http::HttpRequest get(const std::string& url) {
  http::HttpRequest request;
  request.url = url;
  // Only against a hang: under ThreadSanitizer on two busy cores one GET took over 5 s.
  request.timeout = std::chrono::seconds(30);
  return request;
}

TEST(ReplayServer, ReportsAPortAndServesRecordedFixtures) {
  ReplayServer server;
  server.registry().put("RAW", ReplayResponse{200, chartHeaders(), "{}"});
  server.start();
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.baseUrl(), "http://127.0.0.1:" + std::to_string(server.port()));
  http::curl::CurlHttpClient client;
  auto result = client.perform(get(server.chartUrl("RAW")));
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->body, "{}");
  EXPECT_EQ(server.counters().requests, 1u);
  EXPECT_EQ(server.counters().connections, 1u);
}

TEST(ReplayServer, UnknownPathIs404) {
  ReplayServer server;
  server.start();
  http::curl::CurlHttpClient client;
  auto result = client.perform(get(server.baseUrl() + "/v7/finance/quote"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 404);
}

TEST(ReplayServer, ServesWrapperStatusFromADirectory) {
  ASSERT_TRUE(yahooFixturesPresent());
  const auto dir =
      std::filesystem::temp_directory_path() / ("replay_dir_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(
      yahooFixtureDir() / "MDLY_ERROR_404_delisted_includeAdjustedClose.json", dir / "MDLY.json",
      std::filesystem::copy_options::overwrite_existing);
  ReplayServer server;
  EXPECT_EQ(server.registry().loadDirectory(dir), 1u);
  server.start();
  http::curl::CurlHttpClient client;
  auto result = client.perform(get(server.chartUrl("MDLY")));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(result->header("content-type"), "application/json;charset=utf-8");
  std::filesystem::remove_all(dir);
}

TEST(ReplayServer, FaultRateSpoilsAboutThatShare) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplayFaults faults;
  faults.rates = {{FaultKind::k503, 0.5}};
  faults.seed = 3;
  server.setFaults(faults);
  server.start();
  http::curl::CurlHttpClient client;
  int spoiled = 0;
  for (int i = 0; i < 200; ++i) {
    auto result = client.perform(get(server.chartUrl("S")));
    ASSERT_TRUE(result.ok());
    spoiled += result->status == 503 ? 1 : 0;
  }
  EXPECT_NEAR(spoiled, 100, 25);
  EXPECT_EQ(server.counters().faults, static_cast<std::uint64_t>(spoiled));
}

TEST(ReplayServer, StopEndsHangingRequestsPromptly) {
  auto server = std::make_unique<ReplayServer>();
  ReplayFaults faults;
  faults.fail_first = 1;
  faults.fail_first_kind = FaultKind::kHang;
  faults.hang = std::chrono::minutes(5);
  server->setFaults(faults);
  server->start();
  http::curl::CurlHttpClient client;
  std::promise<void> answered;
  client.send(get(server->chartUrl("S")), [&](auto) { answered.set_value(); });
  // Wait until the request is inside the server, by its own counter, not by the clock.
  while (server->counters().max_concurrent == 0) {
    std::this_thread::yield();
  }
  const auto start = std::chrono::steady_clock::now();
  server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  answered.get_future().wait();
}

http::HttpRequest withCookie(const std::string& url, const std::string& cookie) {
  http::HttpRequest request = get(url);
  request.headers.emplace_back("Cookie", cookie);
  return request;
}

// "A3=token; Path=/; HttpOnly" → "A3=token", as a browser would send it back.
std::string cookieFrom(const http::HttpResponse& response) {
  const std::string set_cookie = response.header("set-cookie").value_or("");
  return set_cookie.substr(0, set_cookie.find(';'));
}

std::string crumbQuery(const std::string& crumb) {
  return "?interval=1d&crumb=" + percentEncode(crumb);
}

TEST(ReplayServerLimits, RefusesTheRequestBeyondTheRate) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplayLimits limits;
  limits.rate = 5;  // burst 0: one second's worth, 5
  server.setLimits(limits);
  server.start();
  http::curl::CurlHttpClient client;
  // Six requests take milliseconds; the bucket refills one token per 200 ms.
  for (int i = 0; i < 5; ++i) {
    auto result = client.perform(get(server.chartUrl("S")));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, 200) << "request " << i;
  }
  auto sixth = client.perform(get(server.chartUrl("S")));
  ASSERT_TRUE(sixth.ok());
  EXPECT_EQ(sixth->status, 429);
  EXPECT_EQ(sixth->body, "Too Many Requests\r\n");
  EXPECT_EQ(sixth->header("content-type"), "text/html");
  EXPECT_EQ(sixth->header("retry-after"), std::nullopt);  // like Yahoo
  EXPECT_EQ(server.counters().limited, 1u);
  EXPECT_EQ(server.counters().banned, 0u);
  EXPECT_EQ(server.counters().faults, 0u);
  EXPECT_EQ(server.limiter().counters().admitted, 5u);
  EXPECT_EQ(server.limiter().maxAdmittedInWindow(std::chrono::seconds(1)), 5u);
  EXPECT_EQ(server.requestsFor("S"), 6u);
}

TEST(ReplayServerLimits, ABanRefusesEverythingForItsLength) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplayLimits limits;
  limits.rate = 4;  // four at once, then the excess starts the ban
  limits.ban = std::chrono::milliseconds(300);
  limits.retry_after_seconds = 1;
  server.setLimits(limits);
  server.start();
  http::curl::CurlHttpClient client;
  for (int i = 0; i < 4; ++i) {
    auto result = client.perform(get(server.chartUrl("S")));
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->status, 200);
  }
  auto excess = client.perform(get(server.chartUrl("S")));
  const auto banned_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(excess.ok());
  ASSERT_EQ(excess->status, 429);
  EXPECT_EQ(excess->header("retry-after"), "1");
  // 300 ms at 4/s refill more than a token, so the first 200 marks the ban's end.
  std::uint64_t refused = 0;
  for (;;) {
    auto result = client.perform(get(server.chartUrl("S")));
    ASSERT_TRUE(result.ok());
    if (result->status == 200) {
      break;
    }
    ASSERT_EQ(result->status, 429);
    ++refused;
  }
  EXPECT_GE(std::chrono::steady_clock::now() - banned_at, std::chrono::milliseconds(290));
  EXPECT_GT(refused, 0u);
  EXPECT_EQ(server.counters().banned, refused);
  EXPECT_EQ(server.counters().limited, refused + 1);
  EXPECT_EQ(server.limiter().counters().bans_started, 1u);
  EXPECT_EQ(server.limiter().bannedFor(), std::chrono::milliseconds(300));
}

TEST(ReplayServerLimits, LimitsApplyToChartsOnly) {
  ReplayServer server;
  ReplayLimits limits;
  limits.rate = 1;
  limits.ban = std::chrono::minutes(5);
  server.setLimits(limits);
  server.start();
  http::curl::CurlHttpClient client;
  ASSERT_EQ(client.perform(get(server.chartUrl("S")))->status, 404);  // admitted, unknown
  ASSERT_EQ(client.perform(get(server.chartUrl("S")))->status, 429);
  EXPECT_EQ(client.perform(get(server.cookieUrl()))->status, 404);
  EXPECT_EQ(server.counters().cookie_requests, 1u);
  server.setLimits({});  // lifts the ban
  EXPECT_EQ(client.perform(get(server.chartUrl("S")))->status, 404);
}

TEST(ReplayServerSession, CookieThenCrumbThenChart) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplaySession session;
  session.require_crumb = true;
  server.setSession(session);
  server.start();
  http::curl::CurlHttpClient client;

  auto page = client.perform(get(server.cookieUrl()));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 404);
  EXPECT_EQ(page->header("content-type").value_or("").rfind("text/html", 0), 0u);
  const std::string cookie = cookieFrom(*page);
  ASSERT_EQ(cookie.rfind("A3=", 0), 0u) << page->header("set-cookie").value_or("no set-cookie");

  auto crumb = client.perform(withCookie(server.crumbUrl(), cookie));
  ASSERT_TRUE(crumb.ok());
  ASSERT_EQ(crumb->status, 200);
  EXPECT_EQ(crumb->header("content-type").value_or("").rfind("text/plain", 0), 0u);
  EXPECT_EQ(crumb->body.size(), 11u);

  auto chart = client.perform(withCookie(server.chartUrl("S", crumbQuery(crumb->body)), cookie));
  ASSERT_TRUE(chart.ok());
  EXPECT_EQ(chart->status, 200);
  EXPECT_EQ(chart->body, "{}");
  const auto counters = server.counters();
  EXPECT_EQ(counters.cookie_requests, 1u);
  EXPECT_EQ(counters.crumb_requests, 1u);
  EXPECT_EQ(counters.unauthorized, 0u);
}

TEST(ReplayServerSession, ChartWithoutCrumbIs401Json) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplaySession session;
  session.require_crumb = true;
  server.setSession(session);
  server.start();
  http::curl::CurlHttpClient client;
  const std::string cookie = cookieFrom(*client.perform(get(server.cookieUrl())));

  for (const auto& request : {get(server.chartUrl("S")), withCookie(server.chartUrl("S"), cookie),
                              get(server.chartUrl("S", "?crumb=abc"))}) {
    auto result = client.perform(request);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, 401);
    EXPECT_EQ(result->header("content-type"), "application/json;charset=utf-8");
    EXPECT_EQ(
        result->body,
        R"({"chart":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}})");
  }
  auto crumb = client.perform(get(server.crumbUrl()));  // no cookie
  ASSERT_TRUE(crumb.ok());
  EXPECT_EQ(crumb->status, 401);
  EXPECT_EQ(server.counters().unauthorized, 4u);
}

TEST(ReplayServerSession, RotatedCrumbIs401UntilRefreshed) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  ReplaySession session;
  session.require_crumb = true;
  session.rotate_after = 2;
  server.setSession(session);
  server.start();
  http::curl::CurlHttpClient client;
  const std::string cookie = cookieFrom(*client.perform(get(server.cookieUrl())));
  const std::string crumb = client.perform(withCookie(server.crumbUrl(), cookie))->body;
  const auto chart = [&](const std::string& with) {
    return client.perform(withCookie(server.chartUrl("S", crumbQuery(with)), cookie))->status;
  };
  EXPECT_EQ(chart(crumb), 200);
  EXPECT_EQ(chart(crumb), 200);
  EXPECT_EQ(chart(crumb), 401);
  const std::string next = client.perform(withCookie(server.crumbUrl(), cookie))->body;
  EXPECT_NE(next, crumb);
  EXPECT_EQ(chart(next), 200);
  EXPECT_EQ(server.counters().unauthorized, 1u);
  EXPECT_EQ(server.counters().crumb_requests, 2u);
}

TEST(ReplayServerSession, BlockModes) {
  ReplayServer server;
  server.registry().put("S", ReplayResponse{200, chartHeaders(), "{}"});
  server.start();
  http::curl::CurlHttpClient client;
  struct Case {
    std::string block;
    int status;
  };
  for (const Case& c : {Case{"html", 200}, Case{"403", 403}, Case{"redirect", 302}}) {
    ReplaySession session;
    session.block = c.block;
    server.setSession(session);
    auto result = client.perform(get(server.chartUrl("S")));
    ASSERT_TRUE(result.ok()) << c.block;
    EXPECT_EQ(result->status, c.status) << c.block;
    EXPECT_EQ(result->header("content-type").value_or("").rfind("text/html", 0), 0u) << c.block;
    if (c.block == "redirect") {
      EXPECT_EQ(result->header("location"),
                "https://consent.yahoo.com/v2/collectConsent?sessionId=x");
    } else {
      EXPECT_NE(result->body.find("<html>"), std::string::npos) << c.block;
    }
  }
  EXPECT_EQ(server.counters().blocked, 3u);
  server.setSession({});
  EXPECT_EQ(client.perform(get(server.chartUrl("S")))->body, "{}");
  ReplaySession bad;
  bad.block = "captcha";
  EXPECT_THROW(server.setSession(bad), std::invalid_argument);
}

}  // namespace
}  // namespace rawfeed::testing
