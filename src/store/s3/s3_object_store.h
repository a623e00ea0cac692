#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/http_client.h"
#include "observe/logger.h"
#include "store/object_store.h"
#include "store/s3/s3_conditional_create.h"
#include "store/s3/s3_options.h"
#include "store/s3/s3_transport.h"
#include "store/s3/s3_url.h"

namespace rawfeed::store::s3 {

// The lake on S3 or an S3-compatible server (MinIO, Ceph, R2, the local test servers). Keys are
// relative to options.prefix. Every call is one signed request (two for a create-only put on a
// server without conditional writes), retried with backoff while throttled or transient.
//
// - put: PutObject with Content-Type, Content-Encoding, a checksum header S3 verifies, and the
//   SSE headers when configured. kCreateOnly sends If-None-Match: * so that one request decides
//   (412 → kAlreadyExists); on a server that ignores the header — found by a probe, see
//   ConditionalCreatePolicy, logged once — it is HEAD then PUT, which two racing writers can
//   both pass. A create-only put retried after a lost answer may report kAlreadyExists for the
//   object it wrote itself.
// - get returns the stored bytes, never decoded (the HTTP client is told not to decode, so a
//   gzip object stays gzip); kNotFound for a missing key.
// - list pages through ListObjectsV2 and returns keys relative to the prefix, in key order.
// - remove is idempotent, as S3's DELETE is: removing a missing key succeeds.
// Errors as s3_errors.h classifies them; messages carry the server's words, never a secret.
// Thread-safe; http, credentials, clock, random and logger must outlive the store.
class S3ObjectStore final : public ObjectStore {
 public:
  // kInvalidInput for options no request could succeed with. Sends nothing: call checkBucket()
  // at start-up to find a wrong bucket, region or credentials before the first batch.
  static core::Result<std::unique_ptr<S3ObjectStore>> create(
      S3Options options, http::HttpClient& http, aws::CredentialsProvider& credentials,
      const core::Clock& clock, core::Random& random, observe::Logger* logger = nullptr);

  core::Result<PutOutcome> put(std::string_view key, std::string_view bytes,
                               const PutOptions& options) override;
  core::Result<std::string> get(std::string_view key) override;
  core::Result<ObjectInfo> head(std::string_view key) override;
  core::Result<std::vector<ObjectInfo>> list(std::string_view prefix) override;
  core::Status remove(std::string_view key) override;
  std::string location() const override;  // "s3://bucket/prefix"
  // Nothing to do: S3 answers a PUT only once the object is durable.
  core::Status flush(std::span<const std::string> keys) override;

  // The start-up check: lists one key under the prefix (the bucket exists, the region and
  // credentials are right, we may list) and, with conditional_create = auto, probes the server
  // (leaves nothing behind). kNotFound saying the bucket is missing — a configuration error —
  // kUnauthenticated with the server's message, or the transport's error.
  core::Status checkBucket();

  // How create-only puts are made; nullopt until the auto probe has run.
  std::optional<CreateMethod> createMethod() const { return create_policy_.decided(); }
  S3Stats stats() const { return transport_.stats(); }

 private:
  S3ObjectStore(S3Options options, S3Url url, http::HttpClient& http,
                aws::CredentialsProvider& credentials, const core::Clock& clock,
                core::Random& random, observe::Logger& logger);

  core::Result<CreateMethod> probeConditionalCreate();
  core::Result<http::HttpResponse> putObject(const std::string& stored_key, std::string_view key,
                                             std::string_view bytes, const PutOptions& options,
                                             bool if_none_match);
  core::Result<ObjectInfo> headObject(const std::string& stored_key, std::string_view key);
  core::Status deleteObject(const std::string& stored_key, std::string_view key);
  std::string subject(std::string_view key) const;

  const S3Options options_;
  const S3Url url_;
  core::Random& random_;
  observe::Logger& logger_;
  S3Transport transport_;
  ConditionalCreatePolicy create_policy_;
};

}  // namespace rawfeed::store::s3
