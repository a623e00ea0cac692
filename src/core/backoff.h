#pragma once

#include <chrono>

#include "core/random.h"

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

}  // namespace rawfeed::core
