#include "queue/sqs/sqs_client.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aws/signing_key.h"
#include "queue/sqs/sqs_errors.h"

namespace rawfeed::queue::sqs {
SqsClient::SqsClient(SqsClientOptions options, http::HttpClient& http,
                     aws::CredentialsProvider& credentials, const core::Clock& clock,
                     core::Random& random)
    : options_(std::move(options)),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      signing_keys_(std::make_unique<aws::SigningKeyCache>()) {}

SqsClient::~SqsClient() = default;

core::Result<nlohmann::json> SqsClient::call(std::string_view action, const nlohmann::json& request,
                                             const CallOptions& options) {
  const std::string body = request.dump();
  core::RetryPolicy policy = options_.retry;
  if (!options.retry)
    policy.max_retries = 0;
  return core::retryWithBackoff(
      policy, clock_, random_, clock_.steadyNow() + options.delay,
      [&](core::SteadyTime not_before) { return attempt(action, body, options, not_before); },
      [this](int) { retries_.fetch_add(1, std::memory_order_relaxed); });
}

core::Result<nlohmann::json> SqsClient::attempt(std::string_view action, const std::string& body,
                                                const CallOptions& options,
                                                core::SteadyTime not_before) {
  auto credentials = credentials_.credentials();
  if (!credentials.ok())
    return credentials.error();
  auto request = buildSqsRequest(options_.target, action, body, *credentials, clock_.now(),
                                 signing_keys_.get());
  if (!request.ok())
    return request.error();
  request->timeout = options_.request_timeout + options.extra_timeout;
  request->not_before = not_before;

  requests_.fetch_add(1, std::memory_order_relaxed);
  auto response = http_.perform(std::move(request).value());
  if (!response.ok()) {
    return core::makeError(response.error().code,
                           fmt::format("SQS {}: {}", action, response.error().message));
  }
  if (response->status != 200) {
    core::Error error = responseError(*response, action);
    if (error.code == core::ErrorCode::kThrottled)
      throttled_.fetch_add(1, std::memory_order_relaxed);
    return error;
  }
  if (response->body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return nlohmann::json::object();
  }
  auto parsed = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return core::makeError(
        core::ErrorCode::kPermanent,
        fmt::format("SQS {}: HTTP 200 without a JSON object (is the endpoint an SQS server "
                    "speaking the JSON protocol?): {:.120}",
                    action, response->body));
  }
  return parsed;
}

SqsStats SqsClient::stats() const {
  return SqsStats{requests_.load(std::memory_order_relaxed),
                  retries_.load(std::memory_order_relaxed),
                  throttled_.load(std::memory_order_relaxed)};
}

}  // namespace rawfeed::queue::sqs
