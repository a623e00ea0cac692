#include "server/error_reply.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rawfeed::server {
namespace {

TEST(HttpStatusFor, FollowsTheServiceContract) {
  using core::ErrorCode;
  EXPECT_EQ(httpStatusFor(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(httpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(httpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(httpStatusFor(ErrorCode::kThrottled), 429);
  EXPECT_EQ(httpStatusFor(ErrorCode::kCancelled), 503);
  for (ErrorCode code : {ErrorCode::kAlreadyExists, ErrorCode::kTransient, ErrorCode::kPermanent,
                         ErrorCode::kInternal}) {
    EXPECT_EQ(httpStatusFor(code), 500);
  }
}

TEST(ErrorJson, HasErrorAndStatus) {
  const auto document = nlohmann::json::parse(errorJson(404, "unknown domain 'x'"));
  EXPECT_EQ(document, (nlohmann::json{{"error", "unknown domain 'x'"}, {"status", 404}}));
}

TEST(ErrorJson, EscapesAndSurvivesBadUtf8) {
  const auto quoted = nlohmann::json::parse(errorJson(400, "bad \"x\"\n<tag>"));
  EXPECT_EQ(quoted["error"], "bad \"x\"\n<tag>");
  const auto broken = nlohmann::json::parse(errorJson(400, "bad \xff byte"));
  EXPECT_EQ(broken["status"], 400);
}

TEST(ErrorReply, FromAnError) {
  const ApiReply reply = errorReply(core::makeError(core::ErrorCode::kCancelled, "shutting down"));
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"], "shutting down");
}

}  // namespace
}  // namespace rawfeed::server
