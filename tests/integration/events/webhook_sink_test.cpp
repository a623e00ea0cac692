// The webhook sink over real sockets: a cpp-httplib server of the test's own on 127.0.0.1, port 0,
// answering as scripted; alone and behind the outbox, through a failure and the recovery.
#include <gtest/gtest.h>

#include "contract/temp_dir.h"
#include "core/clock.h"
#include "core/random.h"
#include "events/jsonl/jsonl_event_sink.h"
#include "events/outbox/outbox_event_sink.h"
#include "events/webhook/webhook_event_sink.h"
#include "http/curl/curl_http_client.h"
#include "integration/events/hook_server.h"
#include "observe/logger.h"

namespace rawfeed::events_it {
namespace {

using namespace std::chrono_literals;

std::string completionEvent(const std::string& batch_id) {
  return R"({"detail-type":"Extract Batch Completed","source":"rawfeed","detail":{"schema":)"
         R"("rawfeed.completion/1","batch_id":")" +
         batch_id + R"(","domain":"d1","objects_written":2,"status":"complete"}})";
}

class WebhookSinkIt : public ::testing::Test {
 protected:
  void TearDown() override { http_.stop(); }

  std::unique_ptr<events::webhook::WebhookEventSink> makeSink(int max_retries) {
    events::webhook::WebhookSinkOptions options;
    options.url = hook_.url();
    options.bearer_token = "it-token";
    options.request_timeout = 5000ms;
    options.retry = core::RetryPolicy{max_retries, 10ms, 50ms};
    return std::make_unique<events::webhook::WebhookEventSink>(options, http_, core::systemClock(),
                                                               random_);
  }

  HookServer hook_;
  http::curl::CurlHttpClient http_;
  core::SystemRandom random_;
};

TEST_F(WebhookSinkIt, PostsTheEventWithTheTokenRetryingAServerError) {
  hook_.script({503});
  auto sink = makeSink(2);
  const std::string event = completionEvent("it-hook-1");
  const auto status = sink->publish(event);
  ASSERT_TRUE(status.ok()) << status.error().describe();
  const auto deliveries = hook_.deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  for (const auto& delivery : deliveries) {
    EXPECT_EQ(delivery.body, event);
    EXPECT_EQ(delivery.authorization, "Bearer it-token");
    EXPECT_EQ(delivery.content_type, "application/json");
  }
  EXPECT_EQ(deliveries[0].answered, 503);
  EXPECT_EQ(deliveries[1].answered, 200);
}

TEST_F(WebhookSinkIt, ARefusalIsNotRetriedAndNamesTheStatus) {
  hook_.script({422});
  auto sink = makeSink(3);
  const auto status = sink->publish(completionEvent("it-hook-2"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(status.error().message.find("HTTP 422"), std::string::npos) << status.error().message;
  EXPECT_EQ(hook_.deliveries().size(), 1u);
}

TEST_F(WebhookSinkIt, BehindTheOutboxAnEventSurvivesTheHooksOutageAndArrivesOnce) {
  contract::TempDir dir;
  events::outbox::OutboxOptions options{dir.path() / "events" / "completion.jsonl",
                                        dir.path() / "events" / "delivered" / "hook.jsonl",
                                        hook_.url()};
  observe::NullLogger logger;
  auto outbox = events::outbox::OutboxEventSink::open(options, makeSink(1), logger);
  ASSERT_TRUE(outbox.ok()) << outbox.error().describe();

  hook_.setSteadyStatus(500);
  const std::string event = completionEvent("it-hook-3");
  ASSERT_TRUE((*outbox)->publish(event).ok()) << "recorded locally, so the batch can finish";
  EXPECT_EQ((*outbox)->lastReport().pending, 1);
  EXPECT_EQ(events::jsonl::readEvents(options.log_path).value(), std::vector<std::string>{event});
  EXPECT_EQ(hook_.deliveries().size(), 2u) << "one try and one retry, both refused";

  hook_.setSteadyStatus(200);
  const auto report = (*outbox)->deliverPending();
  EXPECT_EQ(report.delivered, 1);
  EXPECT_EQ(report.pending, 0);
  EXPECT_EQ((*outbox)->deliverPending().delivered, 0);
  int accepted = 0;
  for (const auto& delivery : hook_.deliveries()) {
    EXPECT_EQ(delivery.body, event);
    accepted += delivery.answered == 200 ? 1 : 0;
  }
  EXPECT_EQ(accepted, 1);
}

}  // namespace
}  // namespace rawfeed::events_it
