#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "core/result.h"

namespace rawfeed::aws {

// Where requests go, from the AWS SDKs' standard settings, so one rawfeed config runs against
// AWS, MinIO or a local test server unchanged.

struct Endpoint {
  std::string scheme;  // "https" or "http"
  std::string host;    // "s3.eu-west-1.amazonaws.com", "127.0.0.1", "[::1]"
  std::optional<int> port;
  std::string base_path;  // "" or "/prefix" (no trailing slash), for servers mounted below root
  bool custom = false;    // set by the environment or config rather than AWS's own host name

  std::string authority() const;  // host[:port]: the Host header, which SigV4 signs
  std::string origin() const;     // scheme://authority
};

// "http://127.0.0.1:9000", "https://minio.internal/s3"; kInvalidInput for anything else
// (no scheme other than http/https, no query or fragment, no user info).
core::Result<Endpoint> parseEndpoint(std::string_view url);

// AWS_REGION, else AWS_DEFAULT_REGION, else the active profile's "region" in the config file.
// kInvalidInput naming all three when none is set.
core::Result<std::string> resolveRegion(const EnvLookup& env);

// The endpoint for a service ("s3", "sqs"): `configured` (rawfeed's own config) when given, else
// AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else the profile's endpoint_url — the
// three skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true — else AWS's regional endpoint
// https://{service}.{region}.amazonaws.com (.com.cn in China regions).
core::Result<Endpoint> resolveEndpoint(const EnvLookup& env, std::string_view service,
                                       std::string_view region,
                                       std::optional<std::string> configured = std::nullopt);

// Path-style puts the bucket in the path (https://host/bucket/key), which every S3-compatible
// server understands; virtual-hosted puts it in the host name (https://bucket.host/key), which
// AWS prefers. kAuto: virtual-hosted on AWS's own endpoints for DNS-safe bucket names without
// dots (dots break the TLS wildcard certificate), path-style for custom endpoints.
enum class S3Addressing { kAuto, kPath, kVirtualHosted };

// "auto", "path", "virtual" (the AWS config file's s3.addressing_style values).
core::Result<S3Addressing> parseS3Addressing(std::string_view text);

// One S3 request's target: the URL to send, the Host header and the wire path to sign.
struct S3Target {
  std::string url;   // origin + path (+ '?' + query when given)
  std::string host;  // authority, with the bucket in front when virtual-hosted
  std::string path;  // percent-encoded once: what SigningRequest::path takes
};

// `key` is the raw object key ("day=07/AAPL.json"; empty for bucket operations); `query` an
// already canonical query string (canonicalQuery()) or empty. kInvalidInput for a bucket name
// S3 would refuse, or virtual-hosted addressing with a bucket that cannot be a host label.
core::Result<S3Target> s3Target(const Endpoint& endpoint, std::string_view bucket,
                                std::string_view key, S3Addressing addressing,
                                std::string_view query = {});

}  // namespace rawfeed::aws
