#include "alarms/webhook_action.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/recording_logger.h"

namespace rawfeed::alarms {
namespace {

using fakes::FakeHttpClient;
using fakes::RecordingLogger;
using std::chrono::milliseconds;
using std::chrono::seconds;

Transition webhookTransition() {
  return Transition{"queue_depth",
                    "customer-data",
                    AlarmState::kOk,
                    AlarmState::kAlarm,
                    "Threshold Crossed: \"quoted\" reason",
                    core::SystemTime(seconds(1'795'698'300))};
}

class WebhookTest : public ::testing::Test {
 protected:
  // Every request waits for the test to answer it: retries become a script.
  WebhookTest() { client_.hold(); }

  WebhookAction make(int max_attempts = 5, int max_pending = 64) {
    WebhookOptions options;
    options.url = "http://127.0.0.1:9/hook";
    options.headers = {{"Authorization", "Bearer t"}};
    options.max_attempts = max_attempts;
    options.max_pending = max_pending;
    return WebhookAction(client_, clock_, logger_, options);
  }

  FakeHttpClient client_;
  fakes::FakeClock clock_;
  RecordingLogger logger_;
};

TEST_F(WebhookTest, PostsTheTransitionAsJson) {
  auto action = make();
  action.notify(webhookTransition());
  const auto requests = client_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(requests[0].headers,
            (http::Headers{{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}}));
  EXPECT_EQ(requests[0].not_before, core::SteadyTime{});  // at once
  EXPECT_EQ(nlohmann::json::parse(requests[0].body),
            nlohmann::json::parse(R"({"alarm":"queue_depth","domain":"customer-data",
              "state":"ALARM","previous_state":"OK",
              "reason":"Threshold Crossed: \"quoted\" reason","time":"2026-11-26T13:05:00Z"})"));
}

TEST_F(WebhookTest, RetriesA500WithBackoffThenDelivers) {
  auto action = make();
  action.notify(webhookTransition());
  ASSERT_TRUE(client_.respond(500));
  ASSERT_TRUE(client_.failHeld(core::ErrorCode::kTransient));
  ASSERT_TRUE(client_.respond(204));
  EXPECT_EQ(client_.held(), 0u);

  const auto requests = client_.requests();
  ASSERT_EQ(requests.size(), 3u);
  // The backoff rides on not_before (no thread sleeps): 1 s, then 2 s.
  EXPECT_EQ(requests[1].not_before, clock_.steadyNow() + seconds(1));
  EXPECT_EQ(requests[2].not_before, clock_.steadyNow() + seconds(2));
  EXPECT_EQ(requests[2].body, requests[0].body);
  EXPECT_EQ(logger_.events("alarm_webhook_retry").size(), 2u);
  const auto delivered = logger_.events("alarm_webhook_delivered");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].fields.at("attempts"), "3");
  EXPECT_EQ(delivered[0].fields.at("status"), "204");
}

TEST_F(WebhookTest, GivesUpAfterMaxAttempts) {
  auto action = make(3);
  action.notify(webhookTransition());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(client_.respond(503));
  EXPECT_FALSE(client_.respond(200));  // nothing more was sent
  const auto failed = logger_.events("alarm_webhook_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].fields.at("error"), "HTTP 503");
  EXPECT_EQ(failed[0].fields.at("attempts"), "3");
}

TEST_F(WebhookTest, AClientErrorIsNotRetried) {
  auto action = make();
  action.notify(webhookTransition());
  ASSERT_TRUE(client_.respond(400));
  EXPECT_EQ(client_.held(), 0u);
  EXPECT_EQ(client_.requests().size(), 1u);
  EXPECT_EQ(logger_.events("alarm_webhook_failed").size(), 1u);
}

TEST_F(WebhookTest, BacklogIsBounded) {
  auto action = make(5, 2);
  for (int i = 0; i < 3; ++i)
    action.notify(webhookTransition());
  EXPECT_EQ(client_.requests().size(), 2u);
  EXPECT_EQ(logger_.events("alarm_webhook_dropped").size(), 1u);
  ASSERT_TRUE(client_.respond(200));
  action.notify(webhookTransition());  // room again
  EXPECT_EQ(client_.requests().size(), 3u);
}

TEST_F(WebhookTest, ADeliveryOutlivesItsAction) {
  {
    auto action = make();
    action.notify(webhookTransition());
  }
  ASSERT_TRUE(client_.respond(200));
  EXPECT_EQ(logger_.events("alarm_webhook_delivered").size(), 1u);
}

}  // namespace
}  // namespace rawfeed::alarms
