#pragma once

#include <algorithm>
#include <chrono>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"

namespace rawfeed::core {

// Exponential backoff with full jitter (AWS's recommendation): the wait before retry n is
// uniform in [0, min(cap, base * 2^(n-1))), so many clients throttled at once spread out.
struct RetryPolicy {
  int max_retries = 3;
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{5000};
};

// The wait before retry `retry` (1-based).
std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry, Random& random);

// Whether an error may go away by itself: worth another attempt after a backoff.
inline bool isRetryable(const Error& error) {
  return error.code == ErrorCode::kThrottled || error.code == ErrorCode::kTransient;
}

// The retry loop of the AWS clients and event sinks: calls `attempt(not_before)` (a Status or
// Result) until it succeeds, fails with an error that is not retryable, or `policy.max_retries`
// retries are spent. Each retry's `not_before` lies backoffDelay(policy, n) ahead, so the wait
// happens in the HTTP client's loop rather than on this thread. `on_retry(n)` is called before
// retry n (counters). Returns the last outcome; `attempts` (if given) how many were made.
template <typename Attempt, typename OnRetry>
auto retryWithBackoff(const RetryPolicy& policy, const Clock& clock, Random& random,
                      SteadyTime first_not_before, Attempt&& attempt, OnRetry&& on_retry,
                      int* attempts = nullptr) {
  const int retries = std::max(0, policy.max_retries);
  SteadyTime not_before = first_not_before;
  for (int retry = 0;; ++retry) {
    auto outcome = attempt(not_before);
    if (outcome.ok() || !isRetryable(outcome.error()) || retry >= retries) {
      if (attempts != nullptr)
        *attempts = retry + 1;
      return outcome;
    }
    on_retry(retry + 1);
    not_before = clock.steadyNow() + backoffDelay(policy, retry + 1, random);
  }
}

}  // namespace rawfeed::core
