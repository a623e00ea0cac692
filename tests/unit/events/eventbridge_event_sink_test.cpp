#include "events/eventbridge/eventbridge_event_sink.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/api_operations.h"
#include "deploy/handler_operations.h"
#include "events/eventbridge/put_events.h"
#include "support/fakes/fake_clock.h"
#include "support/fakes/fake_http_client.h"
#include "support/fakes/fixed_random.h"
#include "support/fakes/static_credentials.h"
#include "unit/events/testing_support.h"

namespace rawfeed::events::eventbridge {
namespace {

using namespace std::chrono_literals;
using testing::completionEvent;
using testing::header;

class EventBridgeSinkTest : public ::testing::Test {
 protected:
  EventBridgeEventSink makeSink(int max_retries = 3) {
    EventBridgeSinkOptions options;
    options.endpoint = aws::parseEndpoint("http://127.0.0.1:4010").value();
    options.region = "eu-west-1";
    options.event_bus = "lake-events";
    options.source = "rawfeed.extract";
    options.retry = core::RetryPolicy{max_retries, 100ms, 1000ms};
    return EventBridgeEventSink(options, http_, credentials_, clock_, random_);
  }

  fakes::FakeHttpClient http_;
  fakes::StaticCredentials credentials_;
  fakes::FakeClock clock_;
  fakes::FixedRandom random_{0.5};
};

TEST_F(EventBridgeSinkTest, PutsOneSignedEntryWithTheEventsDetail) {
  http_.answer(200, R"({"FailedEntryCount":0,"Entries":[{"EventId":"e-1"}]})");
  auto sink = makeSink();
  const std::string event = completionEvent("b-42");
  ASSERT_TRUE(sink.publish(event).ok());

  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://127.0.0.1:4010/");
  EXPECT_EQ(header(request, "X-Amz-Target"), "AWSEvents.PutEvents");
  EXPECT_EQ(header(request, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header(request, "Host"), "127.0.0.1:4010");
  EXPECT_FALSE(header(request, "X-Amz-Date").empty());
  const std::string authorization = header(request, "Authorization");
  EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u)
      << authorization;
  EXPECT_NE(authorization.find("/eu-west-1/events/aws4_request"), std::string::npos)
      << authorization;
  EXPECT_NE(authorization.find("x-amz-target"), std::string::npos) << "target is signed";

  const auto body = nlohmann::json::parse(request.body);
  ASSERT_EQ(body["Entries"].size(), 1u);
  const auto& entry = body["Entries"][0];
  EXPECT_EQ(entry["Source"], "rawfeed.extract");
  EXPECT_EQ(entry["DetailType"], "Extract Batch Completed");
  EXPECT_EQ(entry["EventBusName"], "lake-events");
  ASSERT_TRUE(entry["Detail"].is_string());
  EXPECT_EQ(nlohmann::json::parse(entry["Detail"].get<std::string>()),
            nlohmann::json::parse(event)["detail"]);
}

TEST_F(EventBridgeSinkTest, AFailedEntryIsAFailureNamingItsCode) {
  http_.answer(200, R"({"FailedEntryCount":1,"Entries":[{"ErrorCode":"MalformedDetail",)"
                    R"("ErrorMessage":"Detail is malformed."}]})");
  auto sink = makeSink();
  const auto status = sink.publish(completionEvent("b-1"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(status.error().message.find("MalformedDetail"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("Detail is malformed."), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 1u) << "a refused entry is not retried";
}

TEST_F(EventBridgeSinkTest, ThrottledEntriesAndServerErrorsAreRetriedWithBackoff) {
  http_
      .answer(200, R"({"FailedEntryCount":1,"Entries":[{"ErrorCode":"ThrottlingException",)"
                   R"("ErrorMessage":"Rate exceeded"}]})")
      .answer(500, R"({"__type":"InternalException","message":"oops"})")
      .fail(core::ErrorCode::kTransient)
      .answer(200, R"({"FailedEntryCount":0,"Entries":[{"EventId":"e-2"}]})");
  auto sink = makeSink();
  ASSERT_TRUE(sink.publish(completionEvent("b-2")).ok());
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 4u);
  // Full jitter at 0.5: 50, 100, 200 ms after the (frozen) fake clock's now.
  const auto start = clock_.steadyNow();
  EXPECT_EQ(requests[1].not_before - start, 50ms);
  EXPECT_EQ(requests[2].not_before - start, 100ms);
  EXPECT_EQ(requests[3].not_before - start, 200ms);
}

TEST_F(EventBridgeSinkTest, GivesUpAfterItsRetriesSayingHowOften) {
  for (int i = 0; i < 3; ++i)
    http_.answer(503, "");
  auto sink = makeSink(/*max_retries=*/2);
  const auto status = sink.publish(completionEvent("b-3"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kThrottled);
  EXPECT_NE(status.error().message.find("after 3 attempts"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(EventBridgeSinkTest, AMissingBusAndRefusedCredentialsAreNamedAndNotRetried) {
  http_
      .answer(400, R"({"__type":"ResourceNotFoundException","message":"Event bus lake-events )"
                   R"(does not exist."})")
      .answer(403, R"({"__type":"UnrecognizedClientException","message":"The security token )"
                   R"(included in the request is invalid."})");
  auto sink = makeSink();
  const auto missing = sink.publish(completionEvent("b-4"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  const auto refused = sink.publish(completionEvent("b-4"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(EventBridgeSinkTest, AnEventThatIsNotACompletionEventIsRefusedBeforeAnyRequest) {
  auto sink = makeSink();
  for (const char* bad : {"not json", "[1]", R"({"detail":{}})", R"({"detail-type":"x"})"}) {
    const auto status = sink.publish(bad);
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput) << bad;
  }
  EXPECT_TRUE(http_.requests().empty());
}

// Found with fuzz/targets/trigger_event.cpp: json::value() threw (an exception out of the sink)
// when a failed entry's ErrorCode or ErrorMessage was there but not a string.
TEST(PutEventsAnswerTest, AFailedEntryWithoutStringFieldsIsStillAFailure) {
  for (const char* answer :
       {R"({"FailedEntryCount":1,"Entries":[{"ErrorCode":7}]})",
        R"({"FailedEntryCount":1,"Entries":[{"ErrorCode":null,"ErrorMessage":{}}]})",
        R"({"FailedEntryCount":1,"Entries":[{"ErrorCode":"X","ErrorMessage":[1]}]})"}) {
    http::HttpResponse response;
    response.status = 200;
    response.body = answer;
    const core::Status status = readPutEventsAnswer(response);
    ASSERT_FALSE(status.ok()) << answer;
    EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput) << answer;
    EXPECT_NE(status.error().message.find("the entry failed"), std::string::npos)
        << status.error().message;
  }
}

TEST_F(EventBridgeSinkTest, AnAnswerThatIsNotPutEventsIsPermanent) {
  http_.answer(200, "<html>hello</html>");
  auto sink = makeSink();
  const auto status = sink.publish(completionEvent("b-5"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kPermanent);
}

TEST(EventBridgeOperationsTest, NamesTheIamActionsItNeeds) {
  std::vector<std::string> actions;
  for (const auto& operation : EventBridgeEventSink::operations()) {
    actions.emplace_back(operation.iam_action);
  }
  EXPECT_EQ(actions, std::vector<std::string>{"events:PutEvents"});
  // The deploy module grants what the registry says a worker with this sink does.
  deploy::HandlerSetup setup;
  setup.events = deploy::HandlerSetup::Events::kEventBridge;
  const auto uses = deploy::handlerOperations(deploy::Handler::kWorker, setup);
  EXPECT_EQ(deploy::iamActionsOn(uses, deploy::ResourceKind::kEventBus),
            std::set<std::string>(actions.begin(), actions.end()));
}

}  // namespace
}  // namespace rawfeed::events::eventbridge
