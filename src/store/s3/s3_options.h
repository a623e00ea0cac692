#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/endpoints.h"
#include "core/result.h"

namespace rawfeed::store::s3 {

// Which integrity header a put carries. S3 rejects the object when the bytes it received do not
// match, so a body corrupted on the way is never stored.
enum class Checksum {
  kSha256,  // x-amz-checksum-sha256 (the SigV4 payload hash is computed anyway: one digest)
  kMd5,     // Content-MD5, for servers that know nothing newer
};

// How a create-only put keeps an existing object.
enum class ConditionalCreate {
  // Probe the server once (S3ObjectStore::checkBucket() or the first create-only put): use
  // If-None-Match: * when it answers 412 to a second create, else HEAD + PUT.
  kAuto,
  kAlways,  // If-None-Match: * without probing (AWS S3 since 2024-08, MinIO, Ceph)
  kNever,   // HEAD + PUT: two requests and a race between them; for servers that reject the header
};

// Parses "sha256" | "md5" and "auto" | "always" | "never" (config text).
core::Result<Checksum> parseChecksum(std::string_view text);
core::Result<ConditionalCreate> parseConditionalCreate(std::string_view text);

struct S3Options {
  std::string bucket;
  // Every key lives under it ("lake/raw" → "lake/raw/<key>"); '/' at either end is ignored.
  std::string prefix;
  std::string region;
  // A custom endpoint ("http://127.0.0.1:9000", "https://minio.internal"), or empty for AWS's
  // regional one. Resolving AWS_ENDPOINT_URL_S3 and friends is the composition root's job.
  std::string endpoint;
  // kAuto: virtual-hosted on AWS, path-style on custom endpoints (aws::s3Target decides).
  aws::S3Addressing addressing = aws::S3Addressing::kAuto;
  // TLS verification belongs to the HttpClient, which always verifies: false is refused rather
  // than silently ignored.
  bool verify_tls = true;
  std::string sse;         // "", "AES256" (SSE-S3) or "aws:kms" (SSE-KMS)
  std::string kms_key_id;  // only with sse = "aws:kms"; empty means the account's aws/s3 key
  Checksum checksum = Checksum::kSha256;
  ConditionalCreate conditional_create = ConditionalCreate::kAuto;
  std::chrono::milliseconds request_timeout{30000};  // one attempt, connect included
  // Retries after the first attempt for throttled and transient failures; backoff doubles from
  // retry_base_delay up to retry_max_delay, half of it random (jitter).
  int max_retries = 4;
  std::chrono::milliseconds retry_base_delay{200};
  std::chrono::milliseconds retry_max_delay{20000};
  int list_page_size = 1000;  // ListObjectsV2 max-keys (S3's own maximum)
};

// kInvalidInput naming the field for options no request could succeed with.
core::Status validateOptions(const S3Options& options);

}  // namespace rawfeed::store::s3
