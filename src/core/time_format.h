#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace rawfeed::core {

// "2020-01-02T14:30:00Z" for a unix time in seconds.
std::string formatIsoUtc(std::int64_t unix_seconds);
std::string formatIsoUtc(SystemTime time);
// "2020-01-02" (UTC) for a unix time in seconds.
std::string formatDateUtc(std::int64_t unix_seconds);
// Days since 1970-01-01 for a strict "YYYY-MM-DD" that names a real calendar day.
std::optional<std::int64_t> parseDate(std::string_view text);
// Inverse of parseDate.
std::string formatDate(std::int64_t days_since_epoch);

}  // namespace rawfeed::core
