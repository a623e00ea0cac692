#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace rawfeed::aws {
namespace {

using core::ErrorCode;

http::HttpResponse response(int status, std::string body, http::Headers headers = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string s3Xml(std::string_view code, std::string_view message) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  out += "\n<Error><Code>";
  out += code;
  out += "</Code><Message>";
  out += message;
  out +=
      "</Message><BucketName>rawfeed-lake</BucketName>"
      "<RequestId>4442587FB7D0A2F9</RequestId><HostId>eftixk72aD6Ap51T==</HostId></Error>";
  return out;
}

struct Case {
  const char* name;
  http::HttpResponse answer;
  const char* code;
  const char* message;
  ErrorCode classified;
};

class AwsErrorTable : public ::testing::TestWithParam<Case> {};

TEST_P(AwsErrorTable, ParsesAndClassifies) {
  const Case& c = GetParam();
  const AwsError error = parseAwsError(c.answer);
  EXPECT_EQ(error.status, c.answer.status);
  EXPECT_EQ(error.code, c.code);
  EXPECT_EQ(error.message, c.message);
  EXPECT_EQ(classifyAwsError(error.status, error.code), c.classified)
      << core::errorCodeName(classifyAwsError(error.status, error.code));
}

const http::Headers kSqsJsonHeaders = {{"x-amzn-requestid", "c1b9b9c4-EXAMPLE"},
                                       {"content-type", "application/x-amz-json-1.0"}};

INSTANTIATE_TEST_SUITE_P(
    Realistic, AwsErrorTable,
    ::testing::Values(
        Case{"S3SlowDown", response(503, s3Xml("SlowDown", "Please reduce your request rate.")),
             "SlowDown", "Please reduce your request rate.", ErrorCode::kThrottled},
        Case{"S3AccessDenied", response(403, s3Xml("AccessDenied", "Access Denied")),
             "AccessDenied", "Access Denied", ErrorCode::kUnauthenticated},
        Case{"S3InvalidAccessKeyId",
             response(403, s3Xml("InvalidAccessKeyId",
                                 "The AWS Access Key Id you provided does not exist in our "
                                 "records.")),
             "InvalidAccessKeyId",
             "The AWS Access Key Id you provided does not exist in our records.",
             ErrorCode::kUnauthenticated},
        Case{"S3SignatureDoesNotMatch",
             response(403, s3Xml("SignatureDoesNotMatch",
                                 "The request signature we calculated does not match the "
                                 "signature you provided. Check your key and signing method.")),
             "SignatureDoesNotMatch",
             "The request signature we calculated does not match the signature you provided. "
             "Check your key and signing method.",
             ErrorCode::kUnauthenticated},
        Case{"S3ExpiredToken",
             response(400, s3Xml("ExpiredToken", "The provided token has expired.")),
             "ExpiredToken", "The provided token has expired.", ErrorCode::kUnauthenticated},
        Case{
            "S3WrongRegion",
            response(400, s3Xml("AuthorizationHeaderMalformed",
                                "The authorization header is malformed; the region "
                                "&apos;us-east-1&apos; is wrong; expecting &apos;eu-west-1&apos;")),
            "AuthorizationHeaderMalformed",
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting "
            "'eu-west-1'",
            ErrorCode::kUnauthenticated},
        Case{"S3NoSuchBucket",
             response(404, s3Xml("NoSuchBucket", "The specified bucket does not exist")),
             "NoSuchBucket", "The specified bucket does not exist", ErrorCode::kNotFound},
        Case{"S3NoSuchKey", response(404, s3Xml("NoSuchKey", "The specified key does not exist.")),
             "NoSuchKey", "The specified key does not exist.", ErrorCode::kNotFound},
        Case{"S3PreconditionFailed",
             response(412, s3Xml("PreconditionFailed",
                                 "At least one of the pre-conditions you specified did not "
                                 "hold")),
             "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
             ErrorCode::kAlreadyExists},
        Case{"S3InternalError",
             response(500, s3Xml("InternalError",
                                 "We encountered an internal error. Please "
                                 "try again.")),
             "InternalError", "We encountered an internal error. Please try again.",
             ErrorCode::kTransient},
        Case{"S3RequestTimeout",
             response(400, s3Xml("RequestTimeout",
                                 "Your socket connection to the server was not read from or "
                                 "written to within the timeout period.")),
             "RequestTimeout",
             "Your socket connection to the server was not read from or written to within the "
             "timeout period.",
             ErrorCode::kTransient},
        Case{"S3NotImplemented",
             response(501, s3Xml("NotImplemented",
                                 "A header you provided implies "
                                 "functionality that is not implemented")),
             "NotImplemented",
             "A header you provided implies functionality that is not implemented",
             ErrorCode::kPermanent},
        Case{"S3InvalidArgument", response(400, s3Xml("InvalidArgument", "Invalid argument.")),
             "InvalidArgument", "Invalid argument.", ErrorCode::kInvalidInput},
        Case{"S3EntityTooLarge",
             response(400, s3Xml("EntityTooLarge",
                                 "Your proposed upload exceeds the maximum "
                                 "allowed object size.")),
             "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.",
             ErrorCode::kInvalidInput},
        Case{"S3MethodNotAllowed",
             response(405, s3Xml("MethodNotAllowed",
                                 "The specified method is not allowed against this resource.")),
             "MethodNotAllowed", "The specified method is not allowed against this resource.",
             ErrorCode::kPermanent},
        Case{"HeadNotFoundWithoutBody", response(404, ""), "NotFound", "", ErrorCode::kNotFound},
        Case{"HeadForbiddenWithoutBody", response(403, ""), "Forbidden", "",
             ErrorCode::kUnauthenticated},
        Case{"HeadSlowDownWithoutBody", response(503, ""), "ServiceUnavailable", "",
             ErrorCode::kThrottled},
        Case{"Bare502FromAProxy", response(502, "<html>Bad Gateway</html>"), "HTTP502", "",
             ErrorCode::kTransient},
        Case{"SqsJsonQueueDoesNotExist",
             response(400,
                      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist",)"
                      R"("message":"The specified queue does not exist."})",
                      kSqsJsonHeaders),
             "QueueDoesNotExist", "The specified queue does not exist.", ErrorCode::kNotFound},
        Case{"SqsJsonWithLegacyQueryCode",
             response(400,
                      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist",)"
                      R"("message":"The specified queue does not exist."})",
                      {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}}),
             "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.",
             ErrorCode::kNotFound},
        Case{
            "SqsJsonThrottling",
            response(400,
                     R"({"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded"})",
                     kSqsJsonHeaders),
            "RequestThrottled", "Rate exceeded", ErrorCode::kThrottled},
        Case{"SqsJsonInvalidClientTokenId",
             response(403,
                      R"({"__type":"com.amazon.coral.service#InvalidClientTokenId",)"
                      R"("message":"The security token included in the request is invalid."})",
                      kSqsJsonHeaders),
             "InvalidClientTokenId", "The security token included in the request is invalid.",
             ErrorCode::kUnauthenticated},
        Case{"SqsJsonThrottlingException",
             response(400, R"({"__type":"com.amazon.coral.availability#ThrottlingException",)"
                           R"("message":"Rate exceeded"})"),
             "ThrottlingException", "Rate exceeded", ErrorCode::kThrottled},
        Case{"SqsJsonBatchTooMany",
             response(400, R"({"__type":"com.amazonaws.sqs#TooManyEntriesInBatchRequest",)"
                           R"("message":"Maximum number of entries per request are 10."})"),
             "TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10.",
             ErrorCode::kInvalidInput},
        Case{"SqsQueryXmlNonExistentQueue",
             response(400,
                      "<?xml version=\"1.0\"?><ErrorResponse "
                      "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender"
                      "</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The "
                      "specified queue does not exist for this wsdl version.</Message><Detail/>"
                      "</Error><RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId>"
                      "</ErrorResponse>"),
             "AWS.SimpleQueueService.NonExistentQueue",
             "The specified queue does not exist for this wsdl version.", ErrorCode::kNotFound},
        Case{"ErrorTypeHeaderOnly",
             response(400, "", {{"x-amzn-ErrorType", "ValidationException:http://internal/"}}),
             "ValidationException", "", ErrorCode::kInvalidInput},
        Case{"TooManyRequests", response(429, "{}"), "TooManyRequests", "", ErrorCode::kThrottled}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(AwsError, RequestIdFromBodyOrHeaders) {
  EXPECT_EQ(parseAwsError(response(403, s3Xml("AccessDenied", "Access Denied"))).request_id,
            "4442587FB7D0A2F9");
  EXPECT_EQ(parseAwsError(response(400, R"({"__type":"x#Y"})", kSqsJsonHeaders)).request_id,
            "c1b9b9c4-EXAMPLE");
  EXPECT_EQ(parseAwsError(response(404, "", {{"x-amz-request-id", "R1"}})).request_id, "R1");
}

TEST(AwsError, ToCoreErrorCarriesOperationServerWordsAndClassification) {
  const core::Error error = toCoreError(
      parseAwsError(response(403, s3Xml("AccessDenied", "Access Denied"))), "S3 PutObject");
  EXPECT_EQ(error.code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(error.message,
            "S3 PutObject: AccessDenied: Access Denied (HTTP 403, request id 4442587FB7D0A2F9)");
  EXPECT_EQ(toCoreError(parseAwsError(response(404, "")), "S3 HeadObject").message,
            "S3 HeadObject: NotFound (HTTP 404)");
}

TEST(AwsError, AWrongRegionSaysWhereTheSignedRegionComesFrom) {
  const core::Error error = toCoreError(
      parseAwsError(response(400, s3Xml("AuthorizationHeaderMalformed",
                                        "The authorization header is malformed; the region "
                                        "'eu-west-3' is wrong; expecting 'us-east-1'"))),
      "S3 HeadBucket");
  EXPECT_EQ(error.code, ErrorCode::kUnauthenticated);
  EXPECT_NE(error.message.find("the region 'eu-west-3' is wrong; expecting 'us-east-1'"),
            std::string::npos);
  EXPECT_NE(error.message.find("AWS_REGION"), std::string::npos) << error.message;
  // Other refusals carry no region hint.
  EXPECT_EQ(toCoreError(parseAwsError(response(403, s3Xml("SignatureDoesNotMatch", "bad"))),
                        "S3 PutObject")
                .message.find("AWS_REGION"),
            std::string::npos);
}

TEST(AwsError, StatusFallbacksWhenTheCodeIsUnknown) {
  EXPECT_EQ(classifyAwsError(500, "SomethingNew"), ErrorCode::kTransient);
  EXPECT_EQ(classifyAwsError(504, ""), ErrorCode::kTransient);
  EXPECT_EQ(classifyAwsError(501, ""), ErrorCode::kPermanent);
  EXPECT_EQ(classifyAwsError(400, "SomethingNew"), ErrorCode::kInvalidInput);
  EXPECT_EQ(classifyAwsError(409, "SomethingNew"), ErrorCode::kPermanent);
  EXPECT_EQ(classifyAwsError(301, "PermanentRedirect"), ErrorCode::kPermanent);
  EXPECT_EQ(classifyAwsError(401, ""), ErrorCode::kUnauthenticated);
  EXPECT_EQ(classifyAwsError(409, "ConditionalRequestConflict"), ErrorCode::kTransient);
}

}  // namespace
}  // namespace rawfeed::aws
