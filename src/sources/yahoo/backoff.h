#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "http/retry_after.h"

namespace rawfeed::sources::yahoo {

struct BackoffPolicy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds max{10000};
};

// Full jitter: uniform in [0, min(max, base * 2^(retry-1))), retry counting from 1.
std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int retry,
                                       core::Random& random);

// Shared with the governor in front of every source host.
using http::parseRetryAfter;

}  // namespace rawfeed::sources::yahoo
