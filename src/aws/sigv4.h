#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/http_client.h"

namespace rawfeed::aws {

class SigningKeyCache;

// AWS Signature Version 4 as a pure function of the request, the credentials, the scope and the
// time; checked against AWS's published test suite. Each step is exposed so that tests (and a
// verifying proxy) can compare it with AWS's expected canonical request and string to sign.

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SigningRequest {
  std::string method;
  // The path as the caller will send it on the wire, e.g. "/bucket/day%3D07/AAPL.json".
  std::string path;
  // Raw (not percent-encoded) names and values; canonicalQuery() encodes them, and the same
  // string is what the caller should send after '?' so the two can never disagree.
  std::vector<std::pair<std::string, std::string>> query;
  http::Headers headers;           // must include Host; every header present is signed
  std::string payload_sha256_hex;  // hex SHA-256 of the body, or kUnsignedPayload
};

struct SigningScope {
  std::string region;
  std::string service;  // "s3", "sqs", ...
  core::SystemTime time;
};

// The canonical URI. Every service but S3 has its path normalised (dot segments removed,
// repeated slashes collapsed) and then percent-encoded once more, which for a wire path that
// was already encoded means "encoded twice" as AWS requires. S3 is the exception: no
// normalisation (a key may hold "//" or "."), each segment encoded exactly once — computed as
// encode(decode(segment)) so a raw "day=07" and a wire "day%3D07" both give "day%3D07", which
// is what S3 itself computes from the request line.
std::string canonicalUri(std::string_view path, std::string_view service);
// Parameters encoded, sorted by name then value (byte order), "name=" for value-less ones.
std::string canonicalQuery(const std::vector<std::pair<std::string, std::string>>& query);
// "name:value\n" per header: names lower-cased and sorted, values trimmed with inner runs of
// whitespace collapsed, folded (multi-line) values and repeated names joined with ','.
std::string canonicalHeaders(const http::Headers& headers);
// "host;x-amz-date": the sorted, lower-cased, de-duplicated names.
std::string signedHeaders(const http::Headers& headers);
std::string canonicalRequest(const SigningRequest& request, std::string_view service);
// "20150830/us-east-1/service/aws4_request"
std::string credentialScope(const SigningScope& scope);
std::string stringToSign(std::string_view canonical_request, const SigningScope& scope);
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
std::string authorizationHeader(std::string_view access_key_id, const SigningScope& scope,
                                std::string_view signed_headers, std::string_view signature_hex);

// Signs in place: sets X-Amz-Date (replacing any), X-Amz-Security-Token when the credentials
// carry a session token, x-amz-content-sha256 for S3 (which rejects requests without it), then
// Authorization. kInvalidInput when Host is missing or the credentials are empty. The cache,
// when given, saves the four HMACs of the key derivation on every request of the same day.
core::Status sign(SigningRequest& request, const Credentials& credentials,
                  const SigningScope& scope, SigningKeyCache* cache = nullptr);

}  // namespace rawfeed::aws
