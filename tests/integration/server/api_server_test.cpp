// Every endpoint over real sockets: success paths, the error statuses, and that a refused request
// never reaches the Service.
#include <nlohmann/json.hpp>

#include "integration/server/server_fixture.h"

namespace rawfeed::server::testing {
namespace {

using nlohmann::json;

json bodyJson(const http::HttpResponse& response) {
  return json::parse(response.body);
}

void expectJsonError(const http::HttpResponse& response, int status) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.header("content-type").value_or(""), "application/json");
  const json document = json::parse(response.body);
  EXPECT_EQ(document["status"], status);
  EXPECT_TRUE(document["error"].is_string());
  EXPECT_FALSE(document["error"].get<std::string>().empty());
}

TEST_F(ServerTest, PortZeroGetsARealPort) {
  EXPECT_GT(server_->port(), 0);
  EXPECT_EQ(server_->baseUrl(), "http://127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(ServerTest, HealthAndMetrics) {
  auto health = call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(bodyJson(health)["status"], "ok");
  auto metrics = call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type").value_or(""),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find(R"(rawfeed_queue_visible_messages{domain="customer-data"} 12)"),
            std::string::npos);
}

TEST_F(ServerTest, ReadEndpointsPassTheServiceDocuments) {
  EXPECT_EQ(bodyJson(call("GET", "/v1/status"))["domains"].size(), 2u);
  EXPECT_EQ(bodyJson(call("GET", "/v1/domains/customer-data/timeseries"))["points"].size(), 60u);
  EXPECT_EQ(bodyJson(call("GET", "/v1/domains/customer-data/lake"))["partitions"].size(), 3u);
  auto batches = call("GET", "/v1/domains/product-data/batches?limit=7");
  EXPECT_EQ(batches.status, 200);
  EXPECT_EQ(bodyJson(batches)["domain"], "product-data");
  auto dlq = call("GET",
                  "/v1/domains/customer-data/dlq?symbol=AAPL&error_class=throttled"
                  "&min_age_seconds=30&limit=9");
  EXPECT_EQ(dlq.status, 200);
  EXPECT_EQ(bodyJson(dlq)["messages"].size(), 2u);

  const auto calls = service_.calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[3].method, "batchesJson");
  EXPECT_EQ(calls[3].limit, 7);
  EXPECT_EQ(calls[4].filter.symbol, "AAPL");
  EXPECT_EQ(calls[4].filter.error_class, "throttled");
  EXPECT_DOUBLE_EQ(calls[4].filter.min_age_seconds.value_or(-1), 30);
  EXPECT_EQ(calls[4].filter.limit, 9);
}

TEST_F(ServerTest, BatchesLimitDefaults) {
  EXPECT_EQ(call("GET", "/v1/domains/customer-data/batches").status, 200);
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].limit, 20);
}

TEST_F(ServerTest, PercentEncodedQueryIsDecoded) {
  EXPECT_EQ(call("GET", "/v1/domains/customer-data/dlq?symbol=%5EGSPC").status, 200);
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].filter.symbol, "^GSPC");
}

TEST_F(ServerTest, StartRunDryAndReal) {
  auto dry = post("/v1/domains/customer-data/runs?dry_run=true", R"({"symbols":["AAPL"]})");
  EXPECT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(bodyJson(dry)["dry_run"], true);
  auto real = post("/v1/domains/customer-data/runs", R"({"period":"5d"})");
  EXPECT_EQ(real.status, 202) << real.body;
  const auto calls = service_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].dry_run);
  EXPECT_EQ(calls[0].body, R"({"symbols":["AAPL"]})");
  EXPECT_FALSE(calls[1].dry_run);
}

TEST_F(ServerTest, AcceptEvents) {
  const std::string body = R"({"Entries":[{"detail-type":"x","source":"y","detail":{}}]})";
  auto response = post("/v1/events", body);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(bodyJson(response)["entries"][0]["batch_id"], "b-2");
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].body, body);
}

TEST_F(ServerTest, RedriveDryRunThenReal) {
  auto dry = post("/v1/domains/customer-data/dlq/redrive", R"({"symbol":"AAPL","dry_run":true})");
  EXPECT_EQ(dry.status, 200);
  EXPECT_EQ(bodyJson(dry)["matched"], 2);
  EXPECT_EQ(bodyJson(dry)["redriven"], 0);
  auto real = post("/v1/domains/customer-data/dlq/redrive", R"({"dry_run":false})");
  EXPECT_EQ(bodyJson(real)["redriven"], 2);
  const auto calls = service_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].dry_run);
  EXPECT_EQ(calls[0].filter.symbol, "AAPL");
  EXPECT_FALSE(calls[1].dry_run);
}

TEST_F(ServerTest, ServiceErrorsBecomeJsonErrors) {
  const std::pair<core::ErrorCode, int> cases[] = {
      {core::ErrorCode::kInvalidInput, 400},    {core::ErrorCode::kNotFound, 404},
      {core::ErrorCode::kUnauthenticated, 401}, {core::ErrorCode::kThrottled, 429},
      {core::ErrorCode::kCancelled, 503},       {core::ErrorCode::kInternal, 500},
  };
  for (const auto& [code, status] : cases) {
    service_.failNextWith(core::makeError(code, "from the service"));
    auto response = post("/v1/domains/customer-data/runs", "{}");
    expectJsonError(response, status);
    EXPECT_EQ(bodyJson(response)["error"], "from the service");
  }
}

TEST_F(ServerTest, AuthFailuresAreRefusedBeforeTheService) {
  auto missing = post("/v1/domains/customer-data/runs", "{}", "");
  expectJsonError(missing, 401);
  EXPECT_EQ(missing.header("www-authenticate").value_or(""), R"(Bearer realm="rawfeed")");
  auto wrong = post("/v1/domains/customer-data/runs", "{}", "Bearer integration-token-9f8e7e");
  expectJsonError(wrong, 401);
  EXPECT_NE(wrong.header("www-authenticate").value_or("").find("invalid_token"), std::string::npos);
  auto scheme = post("/v1/events", "{}", std::string("Basic ") + kToken);
  expectJsonError(scheme, 401);
  auto shorter = post("/v1/domains/customer-data/dlq/redrive", R"({"dry_run":true})", "Bearer x");
  expectJsonError(shorter, 401);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, RequestErrorsAreRefusedBeforeTheService) {
  expectJsonError(post("/v1/domains/nowhere/runs", "{}"), 404);
  expectJsonError(call("GET", "/v1/domains/nowhere/dlq"), 404);
  expectJsonError(post("/v1/domains/customer-data/runs", R"({"symbols":["AAPL"])"), 400);
  expectJsonError(post("/v1/events", "not json"), 400);
  expectJsonError(post("/v1/events", ""), 400);
  expectJsonError(post("/v1/domains/customer-data/dlq/redrive", R"({"symbol":"A"})"), 400);
  expectJsonError(call("GET", "/v1/domains/customer-data/batches?limit=abc"), 400);
  expectJsonError(call("GET", "/v1/domains/customer-data/dlq?min_age_seconds=-5"), 400);
  expectJsonError(post("/v1/domains/customer-data/runs?dry_run=perhaps", "{}"), 400);
  expectJsonError(call("GET", "/nothing/here"), 404);
  expectJsonError(call("GET", "/static/nothing.js"), 404);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, MalformedJsonNamesTheProblem) {
  auto response = post("/v1/events", R"({"Entries": [})");
  expectJsonError(response, 400);
  const std::string error = bodyJson(response)["error"];
  EXPECT_NE(error.find("malformed JSON body"), std::string::npos) << error;
  EXPECT_NE(error.find("column"), std::string::npos) << error;
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  auto get_events = call("GET", "/v1/events");
  expectJsonError(get_events, 405);
  EXPECT_EQ(get_events.header("allow").value_or(""), "POST");
  auto put_runs = call("PUT", "/v1/domains/customer-data/runs", "{}",
                       {{"Authorization", std::string("Bearer ") + kToken}});
  expectJsonError(put_runs, 405);
  auto delete_status = call("DELETE", "/v1/status");
  expectJsonError(delete_status, 405);
  EXPECT_EQ(delete_status.header("allow").value_or(""), "GET, HEAD");
  auto post_metrics = post("/metrics", "{}");
  expectJsonError(post_metrics, 405);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ServerTest, DashboardPageAndAssets) {
  auto page = call("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type").value_or(""), "text/html; charset=utf-8");
  for (const char* hook :
       {R"(data-metric="queue_visible")", R"(data-metric="queue_in_flight")",
        R"(data-metric="dlq_depth")", R"(data-metric="oldest_age_seconds")",
        R"(data-metric="symbols_ok_total")", R"(data-metric="objects_written_total")",
        "/static/dashboard.js", "/static/dashboard.css"}) {
    EXPECT_NE(page.body.find(hook), std::string::npos) << hook;
  }
  EXPECT_NE(page.header("content-security-policy").value_or("").find("default-src 'self'"),
            std::string::npos);
  auto script = call("GET", "/static/dashboard.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.header("content-type").value_or(""), "text/javascript; charset=utf-8");
  auto style = call("GET", "/static/dashboard.css");
  EXPECT_EQ(style.header("content-type").value_or(""), "text/css; charset=utf-8");
  auto head = call("HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(ServerTest, AccessLogHasMethodPathStatusDurationButNoToken) {
  (void)post("/v1/domains/customer-data/runs", "{}");
  (void)post("/v1/events", "{}", "Bearer wrong-token-value");
  (void)call("GET", "/nope");
  client_.reset();
  server_->stop();  // the log line is written after the response; stopping joins the workers
  const auto lines = logger_.lines();
  ASSERT_EQ(lines.size(), 3u);
  for (const std::string& line : lines) {
    SCOPED_TRACE(line);
    const json entry = json::parse(line);
    EXPECT_EQ(entry["event"], "http_request");
    EXPECT_TRUE(entry.contains("method"));
    EXPECT_TRUE(entry.contains("path"));
    EXPECT_TRUE(entry.contains("status"));
    EXPECT_TRUE(entry["duration_ms"].is_number());
    EXPECT_EQ(line.find(kToken), std::string::npos);
    EXPECT_EQ(line.find("wrong-token-value"), std::string::npos);
  }
  EXPECT_EQ(json::parse(lines[0])["status"], 202);
  EXPECT_EQ(json::parse(lines[0])["path"], "/v1/domains/customer-data/runs");
  EXPECT_EQ(json::parse(lines[1])["status"], 401);
  EXPECT_EQ(json::parse(lines[2])["status"], 404);
}

TEST_F(ServerTest, StopIsIdempotentAndStartTwiceFails) {
  auto again = server_->start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kInvalidInput);
  server_->stop();
  server_->stop();
}

TEST(ApiServerStart, ABusyPortIsAnError) {
  FakeService service;
  observe::NullLogger logger;
  ApiServer first(service, logger, core::systemClock(), {});
  ASSERT_TRUE(first.start().ok());
  ApiServerOptions options;
  options.port = first.port();
  ApiServer second(service, logger, core::systemClock(), options);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find(std::to_string(first.port())), std::string::npos);
}

class TokenlessServerTest : public ServerTest {
 protected:
  void SetUp() override { startServer(ApiServerOptions{}); }
};

TEST_F(TokenlessServerTest, PostsAreForbiddenButReadsWork) {
  auto response = post("/v1/domains/customer-data/runs", "{}", "Bearer ");
  expectJsonError(response, 403);
  EXPECT_NE(bodyJson(response)["error"].get<std::string>().find("no API token is configured"),
            std::string::npos);
  expectJsonError(post("/v1/events", "{}", ""), 403);
  EXPECT_TRUE(service_.calls().empty());
  EXPECT_EQ(call("GET", "/v1/status").status, 200);
}

}  // namespace
}  // namespace rawfeed::server::testing
