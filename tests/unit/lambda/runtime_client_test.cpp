// The Runtime API client and loop over a scripted HTTP client: the documented paths, headers and
// documents, and errors as values.
#include "lambda/runtime_client.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "lambda/lambda_logger.h"
#include "lambda/runtime_loop.h"
#include "support/fakes/fake_http_client.h"

namespace rawfeed::lambda {
namespace {

using fakes::FakeHttpClient;
using fakes::headerValue;

constexpr const char* kApi = "127.0.0.1:9001";
constexpr const char* kBase = "http://127.0.0.1:9001/2018-06-01/runtime";

http::Headers invocationHeaders(const std::string& id) {
  return {{"lambda-runtime-aws-request-id", id},
          {"lambda-runtime-deadline-ms", "1700000000123"},
          {"lambda-runtime-invoked-function-arn", "arn:aws:lambda:eu-west-1:1:function:f"},
          {"lambda-runtime-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}};
}

TEST(RuntimeClientTest, NextReadsTheInvocationFromHeadersAndBody) {
  FakeHttpClient http;
  http.answer(200, R"({"Records":[]})", invocationHeaders("req-1"));
  RuntimeClient client(http, kApi);
  auto invocation = client.next();
  ASSERT_TRUE(invocation.ok()) << invocation.error().describe();
  EXPECT_EQ(invocation->request_id, "req-1");
  EXPECT_EQ(invocation->deadline_ms, 1700000000123);
  EXPECT_EQ(invocation->function_arn, "arn:aws:lambda:eu-west-1:1:function:f");
  EXPECT_EQ(invocation->trace_id, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  EXPECT_EQ(invocation->payload, R"({"Records":[]})");
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, std::string(kBase) + "/invocation/next");
  EXPECT_EQ(requests[0].timeout.count(), 0) << "next blocks until work comes: no timeout";
}

TEST(RuntimeClientTest, NextWithoutRequestIdOrWithAnErrorStatusIsAnError) {
  FakeHttpClient http;
  http.answer(200, "{}");
  http.answer(500, "runtime exploded");
  http.fail(core::ErrorCode::kTransient, "connection refused");
  RuntimeClient client(http, kApi);
  auto missing = client.next();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("Lambda-Runtime-Aws-Request-Id"), std::string::npos);
  auto status = client.next();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kTransient);
  EXPECT_NE(status.error().message.find("HTTP 500: runtime exploded"), std::string::npos);
  auto refused = client.next();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("connection refused"), std::string::npos);
}

TEST(RuntimeClientTest, ResponseErrorAndInitErrorPostTheDocumentedRequests) {
  FakeHttpClient http;
  http.answer(202);
  http.answer(202);
  http.answer(202);
  http.answer(413, "payload too large");
  RuntimeClient client(http, kApi);
  ASSERT_TRUE(client.respond("req-1", R"({"batchItemFailures":[]})").ok());
  ASSERT_TRUE(
      client.fail("req-2", {"Rawfeed.InvalidEvent", "not an SQS event: no \"Records\""}).ok());
  ASSERT_TRUE(client.failInit({"Runtime.ConfigError", "RAWFEED_HANDLER is not set"}).ok());
  auto refused = client.respond("req-3", "{}");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("413"), std::string::npos);

  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, std::string(kBase) + "/invocation/req-1/response");
  EXPECT_EQ(requests[0].body, R"({"batchItemFailures":[]})");
  EXPECT_EQ(headerValue(requests[0].headers, "Lambda-Runtime-Function-Error-Type"), "");

  EXPECT_EQ(requests[1].url, std::string(kBase) + "/invocation/req-2/error");
  EXPECT_EQ(headerValue(requests[1].headers, "Lambda-Runtime-Function-Error-Type"),
            "Rawfeed.InvalidEvent");
  const auto error = nlohmann::json::parse(requests[1].body);
  EXPECT_EQ(error["errorType"], "Rawfeed.InvalidEvent");
  EXPECT_EQ(error["errorMessage"], "not an SQS event: no \"Records\"");

  EXPECT_EQ(requests[2].url, std::string(kBase) + "/init/error");
  EXPECT_EQ(nlohmann::json::parse(requests[2].body)["errorType"], "Runtime.ConfigError");
  EXPECT_EQ(headerValue(requests[2].headers, "Lambda-Runtime-Function-Error-Type"),
            "Runtime.ConfigError");
}

class EchoHandler final : public Handler {
 public:
  core::Result<std::string> handle(const Invocation& invocation) override {
    seen_trace = std::getenv("_X_AMZN_TRACE_ID") ? std::getenv("_X_AMZN_TRACE_ID") : "";
    if (invocation.payload == "bad") {
      return core::makeError(core::ErrorCode::kInvalidInput, "the event is bad");
    }
    return "echo:" + invocation.payload;
  }
  std::string seen_trace;
};

TEST(RuntimeLoopTest, EachInvocationEndsInAResponseOrAnErrorWithHooksAround) {
  FakeHttpClient http;
  http.answer(200, "good", invocationHeaders("req-1"));
  http.answer(202);
  http.answer(200, "bad", invocationHeaders("req-2"));
  http.answer(202);
  RuntimeClient client(http, kApi);
  EchoHandler handler;
  observe::NullLogger logger;
  std::vector<std::string> calls;
  LoopHooks hooks{[&](const Invocation& i) { calls.push_back("begin " + i.request_id); },
                  [&](const Invocation& i) { calls.push_back("end " + i.request_id); }};
  RuntimeLoop loop(client, handler, logger, hooks);
  ASSERT_TRUE(loop.runOnce().ok());
  EXPECT_EQ(handler.seen_trace, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  ASSERT_TRUE(loop.runOnce().ok());
  EXPECT_EQ(calls,
            (std::vector<std::string>{"begin req-1", "end req-1", "begin req-2", "end req-2"}));
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].url, std::string(kBase) + "/invocation/req-1/response");
  EXPECT_EQ(requests[1].body, "echo:good");
  EXPECT_EQ(requests[3].url, std::string(kBase) + "/invocation/req-2/error");
  EXPECT_EQ(nlohmann::json::parse(requests[3].body)["errorMessage"], "the event is bad");
  EXPECT_EQ(headerValue(requests[3].headers, "Lambda-Runtime-Function-Error-Type"),
            "Rawfeed.InvalidEvent");

  // A Runtime API that is gone ends run() with the error after a few tries.
  FakeHttpClient gone;
  for (int i = 0; i < 4; ++i)
    gone.fail(core::ErrorCode::kTransient, "connection refused");
  RuntimeClient gone_client(gone, kApi);
  RuntimeLoop gone_loop(gone_client, handler, logger, {}, std::chrono::milliseconds(0));
  auto stopped = gone_loop.run();
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(gone.requests().size(), 4u);
}

TEST(LambdaLoggerTest, EveryLineCarriesTheRequestIdFirst) {
  EXPECT_EQ(withRequestId(R"({"time":"t","level":"info"})", "req-1"),
            R"({"request_id":"req-1","time":"t","level":"info"})");
  EXPECT_EQ(withRequestId("{}", "r"), R"({"request_id":"r"})");
  EXPECT_EQ(withRequestId(R"({"a":1})", ""), R"({"a":1})");
  EXPECT_EQ(withRequestId(R"({"a":1})", "q\"x"), R"({"request_id":"q\"x","a":1})");
}

}  // namespace
}  // namespace rawfeed::lambda
