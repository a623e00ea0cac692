#include <gtest/gtest.h>

#include "store/s3/s3_errors.h"

namespace rawfeed::store::s3 {
namespace {

using core::ErrorCode;

http::HttpResponse s3Answer(int status, std::string_view code, std::string_view message = "m") {
  http::HttpResponse response;
  response.status = status;
  if (!code.empty()) {
    response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>";
    response.body += code;
    response.body += "</Code><Message>";
    response.body += message;
    response.body += "</Message><RequestId>R1</RequestId></Error>";
  }
  return response;
}

struct Case {
  int status;
  const char* code;
  ErrorCode expected;
};

TEST(S3ErrorsTest, ClassificationTable) {
  const Case cases[] = {
      {503, "SlowDown", ErrorCode::kThrottled},
      {503, "", ErrorCode::kThrottled},  // HEAD: no body
      {429, "", ErrorCode::kThrottled},
      {500, "InternalError", ErrorCode::kTransient},
      {502, "", ErrorCode::kTransient},
      {504, "", ErrorCode::kTransient},
      {400, "RequestTimeout", ErrorCode::kTransient},
      {403, "AccessDenied", ErrorCode::kUnauthenticated},
      {403, "InvalidAccessKeyId", ErrorCode::kUnauthenticated},
      {403, "SignatureDoesNotMatch", ErrorCode::kUnauthenticated},
      {400, "ExpiredToken", ErrorCode::kUnauthenticated},
      {400, "AuthorizationHeaderMalformed", ErrorCode::kUnauthenticated},
      {403, "", ErrorCode::kUnauthenticated},
      {404, "NoSuchBucket", ErrorCode::kNotFound},
      {404, "NoSuchKey", ErrorCode::kNotFound},
      {404, "", ErrorCode::kNotFound},
      {412, "PreconditionFailed", ErrorCode::kAlreadyExists},
      {412, "", ErrorCode::kAlreadyExists},
      {400, "InvalidDigest", ErrorCode::kInvalidInput},
      {400, "BadDigest", ErrorCode::kInvalidInput},
      {400, "EntityTooLarge", ErrorCode::kInvalidInput},
      {501, "NotImplemented", ErrorCode::kPermanent},
      {301, "PermanentRedirect", ErrorCode::kPermanent},
  };
  for (const Case& c : cases) {
    const core::Error error = responseError(s3Answer(c.status, c.code), "PutObject", "'k'");
    EXPECT_EQ(error.code, c.expected) << c.status << " " << c.code << ": " << error.message;
  }
}

TEST(S3ErrorsTest, MessageKeepsTheServersWordsAndRequestId) {
  const core::Error error = responseError(
      s3Answer(403, "SignatureDoesNotMatch", "The request signature we calculated does not match"),
      "PutObject", "'day=07/a' in s3://lake/raw");
  EXPECT_EQ(error.message,
            "S3 PutObject 'day=07/a' in s3://lake/raw: SignatureDoesNotMatch: The request "
            "signature we calculated does not match (HTTP 403, request id R1)");
}

TEST(S3ErrorsTest, AWrongRegionNamesTheRightOne) {
  http::HttpResponse response = s3Answer(301, "PermanentRedirect");
  response.headers.emplace_back("x-amz-bucket-region", "eu-central-1");
  const core::Error error = responseError(response, "ListObjectsV2", "s3://lake");
  EXPECT_NE(error.message.find("the bucket is in region eu-central-1"), std::string::npos)
      << error.message;
}

TEST(S3ErrorsTest, OnlyThrottledAndTransientAreRetried) {
  EXPECT_TRUE(retryable(ErrorCode::kThrottled));
  EXPECT_TRUE(retryable(ErrorCode::kTransient));
  for (ErrorCode code : {ErrorCode::kInvalidInput, ErrorCode::kNotFound, ErrorCode::kAlreadyExists,
                         ErrorCode::kUnauthenticated, ErrorCode::kPermanent, ErrorCode::kCancelled,
                         ErrorCode::kInternal}) {
    EXPECT_FALSE(retryable(code)) << core::errorCodeName(code);
  }
  const core::Error transport = transportError(
      core::makeError(ErrorCode::kTransient, "connection reset"), "GetObject", "'k'");
  EXPECT_EQ(transport.code, ErrorCode::kTransient);
  EXPECT_EQ(transport.message, "S3 GetObject 'k': connection reset");
}

}  // namespace
}  // namespace rawfeed::store::s3
