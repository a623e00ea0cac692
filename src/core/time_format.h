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
// The instant `unix_millis` milliseconds after the epoch, as a queue or a peer wrote it; nullopt
// beyond what SystemTime's nanoseconds hold (about 1677 to 2262), which only a broken or hostile
// sender writes and which would overflow the conversion.
std::optional<SystemTime> fromUnixMillis(std::int64_t unix_millis);

// "2020-01-02" (UTC) for a unix time in seconds.
std::string formatDateUtc(std::int64_t unix_seconds);
// Days since 1970-01-01 for a strict "YYYY-MM-DD" that names a real calendar day.
std::optional<std::int64_t> parseDate(std::string_view text);
// Inverse of parseDate.
std::string formatDate(std::int64_t days_since_epoch);

// The calendar days rawfeed accepts for a bar, a partition or a key: 1800-01-01 to 2200-12-31.
// Outside them a date is a source's garbage or an overflow, not market history, and would make
// keys such as year=-100/month=-1.
inline constexpr std::int64_t kFirstValidDay = -62091;  // 1800-01-01
inline constexpr std::int64_t kLastValidDay = 84370;    // 2200-12-31
inline bool isValidDay(std::int64_t days_since_epoch) {
  return days_since_epoch >= kFirstValidDay && days_since_epoch <= kLastValidDay;
}

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};
// The year, month and day of a day in [kFirstValidDay, kLastValidDay]; nullopt outside.
std::optional<CivilDate> civilDate(std::int64_t days_since_epoch);

}  // namespace rawfeed::core
