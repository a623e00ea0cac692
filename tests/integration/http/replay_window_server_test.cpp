// The replay server's window answers and chart counters, over real sockets: a template answers a
// request's period1/period2 with only its bars, fixtures answer as recorded, and the counters
// add up the chart requests and the bodies' bytes before and after gzip.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "http/curl/curl_http_client.h"
#include "support/replay_server.h"

namespace rawfeed::testing {
namespace {

std::string serverWindowTemplate() {
  std::ifstream in(std::string(RAWFEED_SOURCE_DIR) + "/bench/chart_template_5d_1d.json",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

http::HttpRequest serverWindowGet(const std::string& url, bool decode = true) {
  http::HttpRequest request;
  request.url = url;
  // Only against a hang: under ThreadSanitizer on two busy cores one GET took over 5 s.
  request.timeout = std::chrono::seconds(30);
  request.decode_content = decode;
  if (!decode) {
    request.headers.emplace_back("Accept-Encoding", "gzip");  // the bytes as sent, still gzipped
  }
  return request;
}

TEST(ReplayServerWindow, TemplateAnswersTheWindowAndCountersAddUp) {
  ReplayServer server;
  server.registry().setTemplate(serverWindowTemplate());
  const std::string fixture = R"({"chart":{"result":[],"error":null}})";
  server.registry().put("FIX", ReplayResponse{200, chartHeaders(), fixture});
  server.start();
  http::curl::CurlHttpClient client;

  const std::string whole_url = server.chartUrl("AAPL", "?interval=1d&range=5d");
  const std::string window_url =  // a next-day window: only the last bar
      server.chartUrl("MSFT", "?interval=1d&period1=1749182400&period2=1796706000");
  const std::string fixture_url =  // a fixture is served as recorded, whatever the window
      server.chartUrl("FIX", "?interval=1d&period1=1749182400&period2=1");

  auto whole = client.perform(serverWindowGet(whole_url));
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_EQ(whole->body, substituteSymbol(serverWindowTemplate(), "AAPL"));
  EXPECT_EQ(whole->header("content-encoding"), "gzip");
  auto window = client.perform(serverWindowGet(window_url));
  ASSERT_TRUE(window.ok()) << window.error().describe();
  const auto body = nlohmann::json::parse(window->body);
  EXPECT_EQ(body["chart"]["result"][0]["timestamp"], nlohmann::json::array({1749216600}));
  EXPECT_EQ(body["chart"]["result"][0]["meta"]["symbol"], "MSFT");
  EXPECT_LT(window->body.size(), whole->body.size());
  auto fixed = client.perform(serverWindowGet(fixture_url));
  ASSERT_TRUE(fixed.ok()) << fixed.error().describe();
  EXPECT_EQ(fixed->body, fixture);

  ReplayCounters counters = server.counters();
  EXPECT_EQ(counters.chart_requests, 3u);
  EXPECT_EQ(counters.chart_body_bytes, whole->body.size() + window->body.size() + fixture.size());
  EXPECT_EQ(server.chartRequests().size(), 3u);

  // The same three as sent: gzipped when large, so fewer bytes than the bodies.
  server.resetCounters();
  std::uint64_t sent = 0;
  for (const std::string& url : {whole_url, window_url, fixture_url}) {
    auto raw = client.perform(serverWindowGet(url, /*decode=*/false));
    ASSERT_TRUE(raw.ok()) << raw.error().describe();
    sent += raw->body.size();
  }
  counters = server.counters();
  EXPECT_EQ(counters.chart_requests, 3u);
  EXPECT_EQ(counters.chart_body_bytes, whole->body.size() + window->body.size() + fixture.size());
  EXPECT_EQ(counters.chart_sent_bytes, sent);
  EXPECT_LT(counters.chart_sent_bytes, counters.chart_body_bytes);

  server.resetCounters();
  EXPECT_EQ(server.counters().chart_requests, 0u);
  EXPECT_EQ(server.counters().chart_body_bytes, 0u);
  EXPECT_EQ(server.counters().chart_sent_bytes, 0u);
}

TEST(ReplayServerWindow, RefusedRequestsCountAsRequestsButServeNoBody) {
  ReplayServer server;
  server.registry().setTemplate(serverWindowTemplate());
  ReplayFaults faults;
  faults.fail_first = 1;
  faults.fail_first_kind = FaultKind::k503;
  server.setFaults(faults);
  server.start();
  http::curl::CurlHttpClient client;
  auto refused = client.perform(serverWindowGet(server.chartUrl("AAPL")));
  ASSERT_TRUE(refused.ok()) << refused.error().describe();
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(server.counters().chart_requests, 1u);
  EXPECT_EQ(server.counters().chart_body_bytes, 0u);
  auto served = client.perform(serverWindowGet(server.chartUrl("AAPL")));
  ASSERT_TRUE(served.ok()) << served.error().describe();
  EXPECT_EQ(served->status, 200);
  EXPECT_EQ(server.counters().chart_requests, 2u);
  EXPECT_EQ(server.counters().chart_body_bytes, served->body.size());
}

}  // namespace
}  // namespace rawfeed::testing
