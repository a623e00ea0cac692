#include "events/webhook/webhook_event_sink.h"

#include <gtest/gtest.h>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"
#include "unit/events/testing_support.h"

namespace rawfeed::events::webhook {
namespace {

using namespace std::chrono_literals;
using testing::completionEvent;
using testing::header;

class WebhookSinkTest : public ::testing::Test {
 protected:
  WebhookEventSink makeSink(std::string token = "s3cr3t-token") {
    WebhookSinkOptions options;
    options.url = "https://hooks.example.test/rawfeed";
    options.bearer_token = std::move(token);
    options.retry = core::RetryPolicy{3, 500ms, 10000ms};
    return WebhookEventSink(options, http_, clock_, random_);
  }

  fakes::FakeHttpClient http_;
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(WebhookSinkTest, PostsTheEventAsJsonWithTheBearerToken) {
  http_.answer(204);
  auto sink = makeSink();
  const std::string event = completionEvent("b-1");
  ASSERT_TRUE(sink.publish(event).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "https://hooks.example.test/rawfeed");
  EXPECT_EQ(requests[0].body, event);
  EXPECT_EQ(header(requests[0], "Content-Type"), "application/json");
  EXPECT_EQ(header(requests[0], "Authorization"), "Bearer s3cr3t-token");
}

TEST_F(WebhookSinkTest, NoTokenNoAuthorizationHeader) {
  http_.answer(200, "ok");
  auto sink = makeSink("");
  ASSERT_TRUE(sink.publish(completionEvent("b-1")).ok());
  EXPECT_EQ(header(http_.requests()[0], "Authorization"), "");
}

TEST_F(WebhookSinkTest, RetriesTransportFailures408429And5xxWithBackoff) {
  http_.fail(core::ErrorCode::kTransient).answer(429).answer(408).answer(502).answer(200);
  WebhookSinkOptions options;
  options.url = "http://127.0.0.1:9/hook";
  options.retry = core::RetryPolicy{4, 500ms, 10000ms};
  WebhookEventSink sink(options, http_, clock_, random_);
  ASSERT_TRUE(sink.publish(completionEvent("b-2")).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 5u);
  const auto start = clock_.steadyNow();
  EXPECT_EQ(requests[1].not_before - start, 250ms);
  EXPECT_EQ(requests[2].not_before - start, 500ms);
  EXPECT_EQ(requests[3].not_before - start, 1000ms);
  EXPECT_EQ(requests[4].not_before - start, 2000ms);
}

TEST_F(WebhookSinkTest, ClientErrorsAreNotRetriedAndNameTheStatusButNeverTheToken) {
  struct Case {
    int status;
    core::ErrorCode code;
  };
  for (const Case c :
       {Case{400, core::ErrorCode::kInvalidInput}, Case{401, core::ErrorCode::kUnauthenticated},
        Case{403, core::ErrorCode::kUnauthenticated}, Case{404, core::ErrorCode::kNotFound},
        Case{301, core::ErrorCode::kPermanent}}) {
    fakes::FakeHttpClient http;
    http.answer(c.status, "refused: bad\nthing");
    WebhookSinkOptions options;
    options.url = "https://hooks.example.test/rawfeed";
    options.bearer_token = "s3cr3t-token";
    WebhookEventSink sink(options, http, clock_, random_);
    const auto status = sink.publish(completionEvent("b-3"));
    ASSERT_FALSE(status.ok()) << c.status;
    EXPECT_EQ(status.error().code, c.code) << c.status;
    EXPECT_NE(status.error().message.find("HTTP " + std::to_string(c.status)), std::string::npos)
        << status.error().message;
    EXPECT_NE(status.error().message.find("refused: bad thing"), std::string::npos)
        << status.error().message;
    EXPECT_EQ(status.error().message.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(http.requests().size(), 1u) << c.status;
  }
}

TEST_F(WebhookSinkTest, GivesUpAfterItsRetries) {
  for (int i = 0; i < 4; ++i)
    http_.answer(503, "busy");
  auto sink = makeSink();
  const auto status = sink.publish(completionEvent("b-4"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kTransient);
  EXPECT_NE(status.error().message.find("after 4 attempts"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(http_.requests().size(), 4u);
}

}  // namespace
}  // namespace rawfeed::events::webhook
