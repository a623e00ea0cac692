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
  request.timeout = std::chrono::seconds(5);
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

}  // namespace
}  // namespace rawfeed::testing
