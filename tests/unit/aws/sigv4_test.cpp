#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "aws/hashing.h"
#include "aws/signing_key.h"
#include "support/fakes/fake_http_client.h"

namespace rawfeed::aws {
namespace {

using fakes::headerValue;

// AWS's published S3 examples ("Signature Calculations for the Authorization Header",
// Amazon S3 API Reference): examplebucket, AKIAIOSFODNN7EXAMPLE, 2013-05-24, us-east-1.
const Credentials kS3DocCredentials{"AKIAIOSFODNN7EXAMPLE",
                                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", std::nullopt};
const SigningScope kS3DocScope{"us-east-1", "s3",
                               core::SystemTime{std::chrono::seconds{1369353600}}};

std::string authorizationOf(const SigningRequest& request) {
  return headerValue(request.headers, "Authorization");
}

std::string s3DocAuthorization(std::string_view signed_headers, std::string_view signature) {
  std::string out =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
      "aws4_request, SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += signature;
  return out;
}

TEST(SigV4S3Examples, GetObjectWithRange) {
  SigningRequest request{"GET",
                         "/test.txt",
                         {},
                         {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}},
                         std::string(kEmptyPayloadSha256)};
  ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
  EXPECT_EQ(authorizationOf(request),
            s3DocAuthorization("host;range;x-amz-content-sha256;x-amz-date",
                               "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
}

TEST(SigV4S3Examples, PutObjectWithDollarInKey) {
  const std::string body = "Welcome to Amazon S3.";
  ASSERT_EQ(sha256Hex(body), "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // The wire path may carry '$' raw or encoded: S3 canonicalises both to %24.
  for (const char* path : {"/test$file.text", "/test%24file.text"}) {
    SigningRequest request{"PUT",
                           path,
                           {},
                           {{"Host", "examplebucket.s3.amazonaws.com"},
                            {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                            {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                           sha256Hex(body)};
    ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
    EXPECT_EQ(
        authorizationOf(request),
        s3DocAuthorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                           "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
        << path;
  }
}

TEST(SigV4S3Examples, GetBucketLifecycleWithValuelessParameter) {
  SigningRequest request{"GET",
                         "/",
                         {{"lifecycle", ""}},
                         {{"Host", "examplebucket.s3.amazonaws.com"}},
                         std::string(kEmptyPayloadSha256)};
  ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
  EXPECT_EQ(authorizationOf(request),
            s3DocAuthorization("host;x-amz-content-sha256;x-amz-date",
                               "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
}

TEST(SigV4S3Examples, ListObjectsWithSortedQuery) {
  SigningRequest request{"GET",
                         "/",
                         {{"prefix", "J"}, {"max-keys", "2"}},
                         {{"Host", "examplebucket.s3.amazonaws.com"}},
                         std::string(kEmptyPayloadSha256)};
  ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
  EXPECT_EQ(authorizationOf(request),
            s3DocAuthorization("host;x-amz-content-sha256;x-amz-date",
                               "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
}

// rawfeed's own key layout: '=', '^' and a space in one key, path-style on a local server.
// Expected signature computed independently with a 20-line Python (hashlib/hmac) reference
// from a hand-written canonical request.
TEST(SigV4S3, LakeKeyWithEqualsCaretAndSpace) {
  const std::string body = R"({"symbol":"^GSPC"})";
  SigningRequest request{"PUT",
                         "/rawfeed-lake/raw/day=07/^GSPC x.json",
                         {},
                         {{"Host", "127.0.0.1:9000"}, {"Content-Type", "application/json"}},
                         sha256Hex(body)};
  const SigningScope scope{
      "us-east-1", "s3", core::SystemTime{std::chrono::seconds{1768469400}}};  // 2026-01-15T09:30Z
  EXPECT_EQ(canonicalUri(request.path, "s3"), "/rawfeed-lake/raw/day%3D07/%5EGSPC%20x.json");
  ASSERT_TRUE(sign(request, kS3DocCredentials, scope).ok());
  EXPECT_EQ(headerValue(request.headers, "x-amz-content-sha256"),
            "69490bcc5b6afef0714f1749507d7cb60acc58c1f4cd72651e900c77f184df21");
  EXPECT_EQ(authorizationOf(request),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260115/us-east-1/s3/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
            "Signature=80503d3955ec5f8a6fd633b42b551969773d5f047fb22d6c143f6322b71d00f0");
}

TEST(SigV4CanonicalUri, S3EncodesEachSegmentOnceWhateverTheWireForm) {
  EXPECT_EQ(canonicalUri("/lake/day=07/AAPL.json", "s3"), "/lake/day%3D07/AAPL.json");
  EXPECT_EQ(canonicalUri("/lake/day%3D07/AAPL.json", "s3"), "/lake/day%3D07/AAPL.json");
  EXPECT_EQ(canonicalUri("/lake/%5EGSPC.json", "s3"), "/lake/%5EGSPC.json");
  EXPECT_EQ(canonicalUri("/lake/^GSPC.json", "s3"), "/lake/%5EGSPC.json");
  EXPECT_EQ(canonicalUri("/lake/a b", "s3"), "/lake/a%20b");
  EXPECT_EQ(canonicalUri("/lake/a+b", "s3"), "/lake/a%2Bb");  // '+' is not a space in a path
  EXPECT_EQ(canonicalUri("/lake/100%25", "s3"), "/lake/100%25");
  EXPECT_EQ(canonicalUri("", "s3"), "/");
  EXPECT_EQ(canonicalUri("/", "s3"), "/");
}

TEST(SigV4CanonicalUri, S3KeepsDotsAndRepeatedSlashes) {
  EXPECT_EQ(canonicalUri("/b/my-object//example//photo.user", "s3"),
            "/b/my-object//example//photo.user");
  EXPECT_EQ(canonicalUri("/b/./x/../y", "s3"), "/b/./x/../y");
}

TEST(SigV4CanonicalUri, OtherServicesNormaliseThenEncodeAgain) {
  EXPECT_EQ(canonicalUri("//example//", "sqs"), "/example/");
  EXPECT_EQ(canonicalUri("/a/./b/../c", "sqs"), "/a/c");
  EXPECT_EQ(canonicalUri("/123456789012/my%20queue", "sqs"), "/123456789012/my%2520queue");
  EXPECT_EQ(canonicalUri("/", "sqs"), "/");
  EXPECT_EQ(canonicalUri("", "sqs"), "/");
}

TEST(SigV4CanonicalQuery, EncodesSortsAndWritesEmptyValues) {
  EXPECT_EQ(canonicalQuery({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(canonicalQuery({{"prefix", "raw/day=07/"}, {"list-type", "2"}}),
            "list-type=2&prefix=raw%2Fday%3D07%2F");
  EXPECT_EQ(canonicalQuery({{"b", "2"}, {"a", "z"}, {"a", "y"}}), "a=y&a=z&b=2");
  EXPECT_EQ(canonicalQuery({{"continuation-token", "1/a+b="}}), "continuation-token=1%2Fa%2Bb%3D");
  EXPECT_EQ(canonicalQuery({}), "");
}

TEST(SigV4CanonicalHeaders, TrimsCollapsesMergesAndSorts) {
  const http::Headers headers{{"Host", "h"},
                              {"X-B", "  a   b\tc  "},
                              {"x-a", "1"},
                              {"X-A", "2"},
                              {"X-Folded", "one\n   two"}};
  EXPECT_EQ(canonicalHeaders(headers), "host:h\nx-a:1,2\nx-b:a b c\nx-folded:one,two\n");
  EXPECT_EQ(signedHeaders(headers), "host;x-a;x-b;x-folded");
}

TEST(SigV4Sign, UnsignedPayloadIsSignedAsSuch) {
  SigningRequest request{
      "PUT", "/b/k", {}, {{"Host", "s3.amazonaws.com"}}, std::string(kUnsignedPayload)};
  ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
  EXPECT_EQ(headerValue(request.headers, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  const std::string creq = canonicalRequest(request, "s3");
  EXPECT_EQ(creq.substr(creq.rfind('\n') + 1), "UNSIGNED-PAYLOAD");
}

TEST(SigV4Sign, NonS3ServicesGetNoContentShaHeader) {
  SigningRequest request{
      "POST", "/", {}, {{"Host", "sqs.us-east-1.amazonaws.com"}}, sha256Hex("{}")};
  ASSERT_TRUE(sign(request, kS3DocCredentials, {"us-east-1", "sqs", kS3DocScope.time}).ok());
  EXPECT_EQ(headerValue(request.headers, "x-amz-content-sha256"), "");
  EXPECT_EQ(headerValue(request.headers, "X-Amz-Date"), "20130524T000000Z");
}

TEST(SigV4Sign, SessionTokenIsAddedAndSigned) {
  Credentials credentials = kS3DocCredentials;
  credentials.session_token = "FQoGZXIvYXdzEXAMPLETOKEN";
  SigningRequest request{"GET", "/b/k", {}, {{"Host", "s3.amazonaws.com"}}, {}};
  ASSERT_TRUE(sign(request, credentials, kS3DocScope).ok());
  EXPECT_EQ(headerValue(request.headers, "X-Amz-Security-Token"), "FQoGZXIvYXdzEXAMPLETOKEN");
  EXPECT_NE(authorizationOf(request).find("x-amz-date;x-amz-security-token"), std::string::npos);
}

TEST(SigV4Sign, ResigningReplacesTheOldSignature) {
  SigningRequest request{"GET", "/b/k", {}, {{"Host", "s3.amazonaws.com"}}, {}};
  ASSERT_TRUE(sign(request, kS3DocCredentials, kS3DocScope).ok());
  const std::string first = authorizationOf(request);
  SigningScope later = kS3DocScope;
  later.time += std::chrono::seconds(1);
  ASSERT_TRUE(sign(request, kS3DocCredentials, later).ok());
  const auto count = [&](std::string_view name) {
    return std::count_if(request.headers.begin(), request.headers.end(),
                         [&](const auto& header) { return header.first == name; });
  };
  EXPECT_EQ(count("Authorization"), 1);
  EXPECT_EQ(count("X-Amz-Date"), 1);
  EXPECT_EQ(count("x-amz-content-sha256"), 1);
  EXPECT_NE(authorizationOf(request), first);
}

TEST(SigV4Sign, RefusesMissingHostOrCredentialsWithoutQuotingTheSecret) {
  SigningRequest no_host{"GET", "/", {}, {}, {}};
  auto status = sign(no_host, kS3DocCredentials, kS3DocScope);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(status.error().describe().find(kS3DocCredentials.secret_access_key), std::string::npos);

  SigningRequest request{"GET", "/", {}, {{"Host", "h"}}, {}};
  Credentials no_secret = kS3DocCredentials;
  no_secret.secret_access_key.clear();
  EXPECT_EQ(sign(request, no_secret, kS3DocScope).error().code, core::ErrorCode::kInvalidInput);
}

TEST(SigningKeyCacheTest, MatchesDerivationAndFollowsDayAndSecret) {
  SigningKeyCache cache;
  const std::string secret = kS3DocCredentials.secret_access_key;
  EXPECT_EQ(cache.get(secret, kS3DocScope), signingKey(secret, kS3DocScope));
  EXPECT_EQ(cache.get(secret, kS3DocScope), signingKey(secret, kS3DocScope));
  SigningScope next_day = kS3DocScope;
  next_day.time += std::chrono::hours(24);
  EXPECT_EQ(cache.get(secret, next_day), signingKey(secret, next_day));
  EXPECT_NE(signingKey(secret, next_day), signingKey(secret, kS3DocScope));
  EXPECT_EQ(cache.get("other-secret", next_day), signingKey("other-secret", next_day));
  SigningScope other_service = next_day;
  other_service.service = "sqs";
  EXPECT_EQ(cache.get(secret, other_service), signingKey(secret, other_service));
}

// AWS's documented derivation example (IAM user guide, "deriving a signing key"): the key for
// 20120215/us-east-1/iam with the classic example secret.
TEST(SigningKeyTest, DocumentedDerivationExample) {
  const SigningScope scope{"us-east-1", "iam",
                           core::SystemTime{std::chrono::seconds{1329264000}}};  // 2012-02-15
  EXPECT_EQ(hexEncode(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope)),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

}  // namespace
}  // namespace rawfeed::aws
