#include "server/api_handler.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "unit/server/fake_service.h"

namespace rawfeed::server {
namespace {

using testing::FakeService;

constexpr const char* kToken = "test-token-123";

class ApiHandlerTest : public ::testing::Test {
 protected:
  ApiHandler handler_{service_, ApiHandlerOptions{kToken, 64}};

  ApiRequest request(std::string method, std::string path, std::string body = {},
                     std::string authorization = std::string("Bearer ") + kToken) {
    ApiRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.content_length = r.body.size();
    r.authorization = std::move(authorization);
    return r;
  }

  static std::string errorOf(const ApiReply& reply) {
    return nlohmann::json::parse(reply.body).at("error").get<std::string>();
  }
  static std::string header(const ApiReply& reply, const std::string& name) {
    for (const auto& [key, value] : reply.headers) {
      if (key == name) {
        return value;
      }
    }
    return {};
  }

  FakeService service_;
};

TEST_F(ApiHandlerTest, RunsPassesTheTriggerAndDryRun) {
  ApiRequest r = request("POST", "/v1/domains/customer-data/runs", R"({"symbols":["AAPL"]})");
  r.query = {{"dry_run", "true"}};
  const ApiReply reply = handler_.handle(r);
  EXPECT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].method, "startRun");
  EXPECT_EQ(service_.calls()[0].domain, "customer-data");
  EXPECT_EQ(service_.calls()[0].body, R"({"symbols":["AAPL"]})");
  EXPECT_TRUE(service_.calls()[0].dry_run);
}

TEST_F(ApiHandlerTest, RealRunIsAcceptedAndEmptyBodyMeansDefaults) {
  const ApiReply reply = handler_.handle(request("POST", "/v1/domains/customer-data/runs"));
  EXPECT_EQ(reply.status, 202);
  ASSERT_EQ(service_.calls().size(), 1u);
  EXPECT_EQ(service_.calls()[0].body, "{}");
  EXPECT_FALSE(service_.calls()[0].dry_run);
}

TEST_F(ApiHandlerTest, ServiceErrorsMapToStatuses) {
  service_.failNextWith(core::makeError(core::ErrorCode::kInvalidInput, "interval: unknown '7d'"));
  ApiReply reply = handler_.handle(request("POST", "/v1/domains/customer-data/runs", "{}"));
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(errorOf(reply), "interval: unknown '7d'");
  EXPECT_EQ(nlohmann::json::parse(reply.body)["status"], 400);

  service_.failNextWith(core::makeError(core::ErrorCode::kCancelled, "shutting down"));
  reply = handler_.handle(request("GET", "/v1/status"));
  EXPECT_EQ(reply.status, 503);
}

TEST_F(ApiHandlerTest, RejectionsNeverReachTheService) {
  struct Case {
    ApiRequest request;
    int status;
  };
  std::vector<Case> cases;
  cases.push_back({request("POST", "/v1/domains/customer-data/runs", "{}", ""), 401});
  cases.push_back({request("POST", "/v1/domains/customer-data/runs", "{}", "Bearer nope"), 401});
  cases.push_back({request("POST", "/v1/domains/customer-data/runs", "{}", "Basic abc"), 401});
  cases.push_back({request("POST", "/v1/domains/nowhere/runs", "{}"), 404});
  cases.push_back({request("POST", "/v1/domains/customer-data/runs", "{nope"), 400});
  cases.push_back({request("POST", "/v1/domains/customer-data/runs", std::string(65, ' ')), 413});
  cases.push_back({request("POST", "/v1/events", ""), 400});
  cases.push_back({request("POST", "/v1/events", "[1]"), 400});
  cases.push_back({request("POST", "/v1/domains/customer-data/dlq/redrive", "{}"), 400});
  cases.push_back({request("GET", "/v1/events"), 405});
  cases.push_back({request("POST", "/v1/status"), 405});
  cases.push_back({request("GET", "/v1/nothing"), 404});
  cases.push_back({request("GET", "/v1/domains/nowhere/lake"), 404});
  ApiRequest bad_limit = request("GET", "/v1/domains/customer-data/batches");
  bad_limit.query = {{"limit", "0"}};
  cases.push_back({bad_limit, 400});
  ApiRequest stray = request("GET", "/v1/status");
  stray.query = {{"verbose", "1"}};
  cases.push_back({stray, 400});
  ApiRequest bad_dry = request("POST", "/v1/domains/customer-data/runs", "{}");
  bad_dry.query = {{"dry_run", "maybe"}};
  cases.push_back({bad_dry, 400});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.request.method + " " + c.request.path + " " + c.request.body);
    const ApiReply reply = handler_.handle(c.request);
    EXPECT_EQ(reply.status, c.status) << reply.body;
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(nlohmann::json::parse(reply.body)["status"], c.status);
  }
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ApiHandlerTest, AuthFailuresCarryAChallenge) {
  ApiReply reply = handler_.handle(request("POST", "/v1/events", "{}", ""));
  EXPECT_EQ(header(reply, "WWW-Authenticate"), R"(Bearer realm="rawfeed")");
  reply = handler_.handle(request("POST", "/v1/events", "{}", "Bearer wrong"));
  EXPECT_EQ(header(reply, "WWW-Authenticate"), R"(Bearer realm="rawfeed", error="invalid_token")");
  EXPECT_EQ(errorOf(reply).find(kToken), std::string::npos);
}

TEST_F(ApiHandlerTest, WithoutATokenPostsAreForbidden) {
  ApiHandler open_handler(service_, ApiHandlerOptions{"", 1024});
  const ApiReply reply = open_handler.handle(request("POST", "/v1/events", "{}", "Bearer "));
  EXPECT_EQ(reply.status, 403);
  EXPECT_NE(errorOf(reply).find("no API token is configured"), std::string::npos);
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ApiHandlerTest, ScreenJudgesTheHeadBeforeTheBody) {
  ApiRequest head = request("POST", "/v1/events");
  head.content_length = 10'000;
  ASSERT_TRUE(handler_.screen(head).has_value());
  EXPECT_EQ(handler_.screen(head)->status, 413);
  head.authorization = "";
  EXPECT_EQ(handler_.screen(head)->status, 401);  // credentials before limits
  head = request("POST", "/v1/events");
  EXPECT_FALSE(handler_.screen(head).has_value());
  EXPECT_TRUE(service_.calls().empty());
}

TEST_F(ApiHandlerTest, WrongMethodSaysWhatIsAllowed) {
  const ApiReply reply = handler_.handle(request("PUT", "/v1/domains/customer-data/runs"));
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(header(reply, "Allow"), "POST");
}

TEST_F(ApiHandlerTest, DeadLettersAndRedrivePassTheFilter) {
  ApiRequest list = request("GET", "/v1/domains/customer-data/dlq");
  list.query = {{"symbol", "AAPL"}, {"limit", "5"}};
  EXPECT_EQ(handler_.handle(list).status, 200);
  const ApiReply reply = handler_.handle(request("POST", "/v1/domains/customer-data/dlq/redrive",
                                                 R"({"error_class":"poison","dry_run":true})"));
  EXPECT_EQ(reply.status, 200) << reply.body;
  const auto calls = service_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].filter.symbol, "AAPL");
  EXPECT_EQ(calls[0].filter.limit, 5);
  EXPECT_EQ(calls[1].method, "redriveDeadLetters");
  EXPECT_EQ(calls[1].filter.error_class, "poison");
  EXPECT_TRUE(calls[1].dry_run);
}

TEST_F(ApiHandlerTest, ServesTheDashboardAndMetrics) {
  ApiReply reply = handler_.handle(request("GET", "/"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(header(reply, "Content-Security-Policy").empty());
  reply = handler_.handle(request("GET", "/static/nope.js"));
  EXPECT_EQ(reply.status, 404);
  reply = handler_.handle(request("GET", "/metrics"));
  EXPECT_EQ(reply.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(reply.body.find("rawfeed_queue_visible_messages"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::server
