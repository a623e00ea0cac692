#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "aws/credentials.h"
#include "core/backoff.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "http/http_client.h"
#include "queue/sqs/sqs_request.h"
#include "queue/sqs/sqs_stats.h"

namespace rawfeed::aws {
class SigningKeyCache;
}

namespace rawfeed::queue::sqs {

// The project's backoff (full jitter), under the names this client has always used.
using RetryPolicy = core::RetryPolicy;
using core::backoffDelay;

struct SqsClientOptions {
  SqsTarget target;
  // For one exchange; a long poll adds its wait on top.
  std::chrono::milliseconds request_timeout{10000};
  RetryPolicy retry;
};

struct CallOptions {
  std::chrono::milliseconds extra_timeout{0};  // a long poll's wait
  bool retry = true;  // false where the caller has a better answer to a failure than waiting
  std::chrono::milliseconds delay{0};  // before the first attempt (polling a move task)
};

// SQS's JSON protocol over an HttpClient: credentials fetched per call (the provider caches and
// refreshes), the request signed, kThrottled and kTransient retried with backoff. The backoff
// rides on HttpRequest::not_before, so the HTTP client, not a sleeping thread, holds the wait and
// a test's fake clock decides it. Thread-safe; the references must outlive it.
class SqsClient {
 public:
  SqsClient(SqsClientOptions options, http::HttpClient& http, aws::CredentialsProvider& credentials,
            const core::Clock& clock, core::Random& random);
  ~SqsClient();
  SqsClient(const SqsClient&) = delete;
  SqsClient& operator=(const SqsClient&) = delete;

  // The parsed answer ({} for an empty 200). Errors: the classified refusal (sqs_errors), the
  // credentials provider's error, the HTTP client's (kTransient, kCancelled), or kPermanent for
  // a 200 whose body is not a JSON object (a server that took the call for something else).
  core::Result<nlohmann::json> call(std::string_view action, const nlohmann::json& request,
                                    const CallOptions& options = {});

  const SqsClientOptions& options() const { return options_; }
  SqsStats stats() const;

 private:
  core::Result<nlohmann::json> attempt(std::string_view action, const std::string& body,
                                       const CallOptions& options, core::SteadyTime not_before);

  SqsClientOptions options_;
  http::HttpClient& http_;
  aws::CredentialsProvider& credentials_;
  const core::Clock& clock_;
  core::Random& random_;
  std::unique_ptr<aws::SigningKeyCache> signing_keys_;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> throttled_{0};
};

}  // namespace rawfeed::queue::sqs
