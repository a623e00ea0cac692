#include "store/s3/s3_transport.h"

#include <fmt/format.h>

#include "store/s3/s3_errors.h"

namespace rawfeed::store::s3 {

S3Transport::S3Transport(const S3Url& url, const S3Options& options, http::HttpClient& http,
                         aws::CredentialsProvider& credentials, const core::Clock& clock,
                         core::Random& random)
    : url_(url),
      options_(options),
      http_(http),
      credentials_(credentials),
      clock_(clock),
      random_(random),
      backoff_(options.retry_base_delay, options.retry_max_delay) {}

core::Result<http::HttpResponse> S3Transport::execute(const S3Call& call,
                                                      std::string_view subject) {
  core::SteadyTime not_before{};
  for (int retry = 0;; ++retry) {
    auto result = attempt(call, subject, not_before);
    if (result.ok() || !retryable(result.error().code) || retry >= options_.max_retries) {
      return result;
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
    not_before = clock_.steadyNow() + backoff_.delay(retry, random_);
  }
}

core::Result<http::HttpResponse> S3Transport::attempt(const S3Call& call, std::string_view subject,
                                                      core::SteadyTime not_before) {
  auto credentials = credentials_.credentials();
  if (!credentials) {
    // The provider's message never quotes a secret; it says which source failed and why.
    return core::makeError(credentials.error().code,
                           fmt::format("S3 {} {}: credentials from {}: {}", call.operation, subject,
                                       credentials_.describe(), credentials.error().message));
  }
  const SigningContext signing{*credentials, options_.region, clock_.now(), &signing_keys_};
  auto request = signCall(url_, call, signing, options_.request_timeout);
  if (!request)
    return transportError(request.error(), call.operation, subject);
  request->not_before = not_before;

  requests_.fetch_add(1, std::memory_order_relaxed);
  auto response = http_.perform(std::move(request).value());
  if (!response)
    return transportError(response.error(), call.operation, subject);
  if (response->status >= 200 && response->status < 300)
    return response;
  if (call.accept && call.accept(*response))
    return response;
  core::Error error = responseError(*response, call.operation, subject);
  if (error.code == core::ErrorCode::kThrottled)
    throttled_.fetch_add(1, std::memory_order_relaxed);
  return error;
}

S3Stats S3Transport::stats() const {
  return S3Stats{requests_.load(std::memory_order_relaxed),
                 retries_.load(std::memory_order_relaxed),
                 throttled_.load(std::memory_order_relaxed)};
}

}  // namespace rawfeed::store::s3
