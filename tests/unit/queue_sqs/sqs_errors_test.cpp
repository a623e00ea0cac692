#include "queue/sqs/sqs_errors.h"

#include <gtest/gtest.h>

namespace rawfeed::queue::sqs {
namespace {

using core::ErrorCode;

struct ErrorCase {
  const char* name;
  int status;
  const char* body;
  http::Headers headers;
  ErrorCode code;
  const char* message_part;
};

http::HttpResponse response(const ErrorCase& c) {
  http::HttpResponse r;
  r.status = c.status;
  r.body = c.body;
  r.headers = c.headers;
  return r;
}

class SqsErrorTableTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SqsErrorTableTest, Classifies) {
  const auto& c = GetParam();
  const auto error = responseError(response(c), "ReceiveMessage");
  EXPECT_EQ(error.code, c.code) << error.message;
  EXPECT_NE(error.message.find(c.message_part), std::string::npos) << error.message;
  EXPECT_EQ(error.message.rfind("SQS ReceiveMessage: ", 0), 0u) << error.message;
}

INSTANTIATE_TEST_SUITE_P(
    Json, SqsErrorTableTest,
    ::testing::Values(
        ErrorCase{"Throttling",
                  400,
                  R"({"__type":"com.amazonaws.sqs#ThrottlingException","message":"Rate exceeded"})",
                  {},
                  ErrorCode::kThrottled,
                  "Rate exceeded"},
        ErrorCase{"RequestThrottled",
                  403,
                  R"({"__type":"com.amazonaws.sqs#RequestThrottled"})",
                  {},
                  ErrorCode::kThrottled,
                  "RequestThrottled"},
        ErrorCase{"InternalError",
                  500,
                  R"({"__type":"com.amazonaws.sqs#InternalError"})",
                  {},
                  ErrorCode::kTransient,
                  "InternalError"},
        ErrorCase{"BareBadGateway", 502, "", {}, ErrorCode::kTransient, "HTTP 502"},
        ErrorCase{"ServiceUnavailable", 503, "", {}, ErrorCode::kThrottled, "HTTP 503"},
        ErrorCase{"InvalidClientTokenId",
                  403,
                  R"({"__type":"com.amazonaws.sqs#InvalidClientTokenId",)"
                  R"("message":"The security token included in the request is invalid."})",
                  {},
                  ErrorCode::kUnauthenticated,
                  "security token included in the request"},
        ErrorCase{"SignatureDoesNotMatch",
                  403,
                  R"({"__type":"SignatureDoesNotMatch","message":"The request signature we )"
                  R"(calculated does not match"})",
                  {},
                  ErrorCode::kUnauthenticated,
                  "signature we calculated"},
        ErrorCase{"QueryErrorHeaderWins",
                  400,
                  R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"})",
                  {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}},
                  ErrorCode::kNotFound,
                  "AWS.SimpleQueueService.NonExistentQueue: gone"},
        ErrorCase{"QueueDoesNotExist",
                  400,
                  R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist"})",
                  {},
                  ErrorCode::kNotFound,
                  "QueueDoesNotExist"},
        ErrorCase{"ReceiptHandleIsInvalid",
                  400,
                  R"({"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"bad"})",
                  {},
                  ErrorCode::kInvalidInput,
                  "ReceiptHandleIsInvalid"},
        ErrorCase{"UnknownOperation",
                  400,
                  R"({"__type":"com.amazon.coral.service#UnknownOperationException"})",
                  {},
                  ErrorCode::kPermanent,
                  "UnknownOperationException"},
        ErrorCase{"PurgeQueueInProgress",
                  400,
                  R"({"__type":"com.amazonaws.sqs#PurgeQueueInProgress"})",
                  {{"x-amzn-query-error", "AWS.SimpleQueueService.PurgeQueueInProgress;Sender"}},
                  ErrorCode::kThrottled,
                  "PurgeQueueInProgress"},
        ErrorCase{"InvalidAction",
                  400,
                  R"({"__type":"InvalidAction"})",
                  {},
                  ErrorCode::kPermanent,
                  "InvalidAction"},
        ErrorCase{"QueryXml",
                  403,
                  "<ErrorResponse><Error><Code>InvalidAccessKeyId</Code><Message>unknown "
                  "key</Message></Error><RequestId>r1</RequestId></ErrorResponse>",
                  {},
                  ErrorCode::kUnauthenticated,
                  "unknown key (HTTP 403, request id r1)"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(SqsEntryErrorTest, SenderFaultsAreInvalidInputAndServiceFaultsTransient) {
  EXPECT_EQ(entryError("SendMessageBatch", "InvalidMessageContents", "bad char", true).code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(entryError("SendMessageBatch", "SomethingNew", "", true).code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(entryError("SendMessageBatch", "InternalError", "", false).code, ErrorCode::kTransient);
  EXPECT_EQ(entryError("SendMessageBatch", "SomethingNew", "", false).code, ErrorCode::kTransient);
  EXPECT_EQ(entryError("DeleteMessageBatch", "ReceiptHandleIsInvalid", "", true).code,
            ErrorCode::kInvalidInput);
  const auto error = entryError("SendMessageBatch", "ThrottlingException", "slow down", false);
  EXPECT_EQ(error.code, ErrorCode::kThrottled);
  EXPECT_EQ(error.message, "SQS SendMessageBatch: ThrottlingException: slow down");
}

TEST(SqsEntryErrorTest, FallBackOnlyWhereAnotherWayMayWork) {
  EXPECT_TRUE(mayFallBack(core::makeError(ErrorCode::kPermanent, "")));
  EXPECT_TRUE(mayFallBack(core::makeError(ErrorCode::kTransient, "")));
  EXPECT_FALSE(mayFallBack(core::makeError(ErrorCode::kUnauthenticated, "")));
  EXPECT_FALSE(mayFallBack(core::makeError(ErrorCode::kNotFound, "")));
  EXPECT_FALSE(mayFallBack(core::makeError(ErrorCode::kThrottled, "")));
}

}  // namespace
}  // namespace rawfeed::queue::sqs
