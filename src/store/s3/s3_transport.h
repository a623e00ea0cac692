#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "aws/credentials.h"
#include "aws/signing_key.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/http_client.h"
#include "store/s3/s3_backoff.h"
#include "store/s3/s3_options.h"
#include "store/s3/s3_request.h"
#include "store/s3/s3_url.h"

namespace rawfeed::store::s3 {

// Counters for metrics and the benchmark's "requests per object". Monotonic.
struct S3Stats {
  std::uint64_t requests = 0;   // HTTP exchanges attempted, retries included
  std::uint64_t retries = 0;    // of those, the ones after a throttled or transient failure
  std::uint64_t throttled = 0;  // answers that asked us to slow down
};

// Sends S3 calls: credentials, signing (afresh for each attempt, so a retry after a long backoff
// or a credential refresh still carries a valid signature), and retries of throttled and
// transient failures with backoff. A retry waits through HttpRequest::not_before, so no thread
// sleeps in the client; the calling thread just waits for the answer. Thread-safe.
class S3Transport {
 public:
  S3Transport(const S3Url& url, const S3Options& options, http::HttpClient& http,
              aws::CredentialsProvider& credentials, const core::Clock& clock,
              core::Random& random);

  // The response when its status is 2xx, else the classified error of the last attempt.
  core::Result<http::HttpResponse> execute(const S3Call& call, std::string_view subject);

  S3Stats stats() const;

 private:
  core::Result<http::HttpResponse> attempt(const S3Call& call, std::string_view subject,
                                           core::SteadyTime not_before);

  const S3Url& url_;
  const S3Options& options_;
  http::HttpClient& http_;
  aws::CredentialsProvider& credentials_;
  const core::Clock& clock_;
  core::Random& random_;
  const Backoff backoff_;
  aws::SigningKeyCache signing_keys_;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> throttled_{0};
};

}  // namespace rawfeed::store::s3
