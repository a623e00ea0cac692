#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"

namespace rawfeed::sources::yahoo {

struct BackoffPolicy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds max{10000};
};

// Full jitter: uniform in [0, min(max, base * 2^(retry-1))), retry counting from 1.
std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int retry,
                                       core::Random& random);

// Retry-After as delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"),
// relative to `now` and never negative; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         core::SystemTime now);

}  // namespace rawfeed::sources::yahoo
