#include <gtest/gtest.h>

#include "aws/hashing.h"
#include "aws/sigv4.h"
#include "store/s3/s3_request.h"
#include "support/fakes/static_credentials.h"
#include "unit/store_s3/s3_fakes.h"

namespace rawfeed::store::s3 {
namespace {

using testing::headerOf;

class S3RequestTest : public ::testing::Test {
 protected:
  S3RequestTest() {
    S3Options options;
    options.bucket = "lake";
    options.region = "us-east-1";
    options.endpoint = "http://127.0.0.1:9000";
    url_ = std::make_unique<S3Url>(S3Url::make(options).value());
  }
  core::Result<http::HttpRequest> sign(const S3Call& call, std::string token = {}) {
    credentials_.session_token = std::move(token);
    return signCall(*url_, call, SigningContext{credentials_, region_, kTime},
                    std::chrono::milliseconds(1234));
  }

  static constexpr core::SystemTime kTime{std::chrono::seconds(1'440'938'160)};  // 2015-08-30
  aws::Credentials credentials_{"AKIDEXAMPLE", std::string(fakes::kExampleSecret), "",
                                std::nullopt};
  std::string region_ = "us-east-1";
  std::unique_ptr<S3Url> url_;
};

TEST_F(S3RequestTest, SignsEveryHeaderOfThePut) {
  S3Call call;
  call.method = "PUT";
  call.stored_key = "day=07/AAPL.json";
  call.body = "{}";
  call.payload_sha256_hex = aws::sha256Hex(call.body);
  call.headers = {{"Content-Type", "application/json"},
                  {"x-amz-checksum-sha256", "abc="},
                  {"x-amz-server-side-encryption", "AES256"},
                  {"If-None-Match", "*"}};
  auto request = sign(call);
  ASSERT_TRUE(request.ok()) << request.error().describe();
  EXPECT_EQ(request->method, "PUT");
  EXPECT_EQ(request->url, "http://127.0.0.1:9000/lake/day%3D07/AAPL.json");
  EXPECT_EQ(request->body, "{}");
  EXPECT_EQ(request->timeout, std::chrono::milliseconds(1234));
  EXPECT_EQ(headerOf(*request, "host"), "127.0.0.1:9000");
  EXPECT_EQ(headerOf(*request, "x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(headerOf(*request, "x-amz-content-sha256"), aws::sha256Hex("{}"));
  const std::string authorization = headerOf(*request, "authorization");
  EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/"
                                "aws4_request, SignedHeaders=content-type;host;if-none-match;"
                                "x-amz-checksum-sha256;x-amz-content-sha256;x-amz-date;"
                                "x-amz-server-side-encryption, Signature=",
                                0),
            0u)
      << authorization;
  EXPECT_EQ(authorization.find(fakes::kExampleSecret), std::string::npos);
}

TEST_F(S3RequestTest, TheSignatureIsTheOneAwsComputesFromTheWirePath) {
  S3Call call;
  call.method = "GET";
  call.stored_key = "symbol=^GSPC/x";
  auto request = sign(call);
  ASSERT_TRUE(request.ok());
  // Recompute from what goes on the wire: the decoded key re-encoded, as S3 does.
  aws::SigningRequest check;
  check.method = "GET";
  check.path = "/lake/symbol%3D%5EGSPC/x";
  for (const auto& header : request->headers) {
    if (header.first != "Authorization")
      check.headers.push_back(header);
  }
  check.payload_sha256_hex = std::string(aws::kEmptyPayloadSha256);
  ASSERT_TRUE(aws::sign(check, credentials_, aws::SigningScope{"us-east-1", "s3", kTime}).ok());
  http::HttpRequest expected;
  expected.headers = check.headers;
  EXPECT_EQ(headerOf(*request, "authorization"), headerOf(expected, "authorization"));
}

TEST_F(S3RequestTest, ABodyAlwaysNamesItsTypeAndAnEmptyPutItsLength) {
  S3Call call;
  call.method = "PUT";
  call.stored_key = "empty";
  auto request = sign(call);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(headerOf(*request, "content-type"), "application/octet-stream");
  EXPECT_EQ(headerOf(*request, "content-length"), "0");
  EXPECT_EQ(headerOf(*request, "x-amz-content-sha256"), aws::kEmptyPayloadSha256);

  S3Call get;
  get.method = "GET";
  get.stored_key = "k";
  auto got = sign(get);
  EXPECT_EQ(headerOf(*got, "content-type"), "");
  EXPECT_EQ(headerOf(*got, "content-length"), "");
}

TEST_F(S3RequestTest, QueryIsCanonicalOnTheWire) {
  S3Call call;
  call.method = "GET";
  call.query = {{"prefix", "raw/day=07/"}, {"list-type", "2"}, {"continuation-token", "a+b/c="}};
  auto request = sign(call);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->url,
            "http://127.0.0.1:9000/lake?continuation-token=a%2Bb%2Fc%3D&list-type=2&"
            "prefix=raw%2Fday%3D07%2F");
}

TEST_F(S3RequestTest, ASessionTokenIsSentAndSigned) {
  S3Call call;
  call.method = "HEAD";
  call.stored_key = std::string("head/key");
  auto request = sign(call, std::string(fakes::kExampleSessionToken));
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(headerOf(*request, "x-amz-security-token"), fakes::kExampleSessionToken);
  EXPECT_NE(headerOf(*request, "authorization").find("x-amz-security-token"), std::string::npos);
}

}  // namespace
}  // namespace rawfeed::store::s3
