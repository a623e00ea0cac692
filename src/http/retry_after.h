#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"

namespace rawfeed::http {

// Retry-After as delta-seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"),
// relative to `now` and never negative; nullopt when unreadable.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         core::SystemTime now);

}  // namespace rawfeed::http
