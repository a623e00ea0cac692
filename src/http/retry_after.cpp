#include "http/retry_after.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <string>

namespace rawfeed::http {

namespace {

// No server means a wait longer than this (callers cap waits far lower anyway); the bound keeps
// an absurd header from overflowing the milliseconds, and from being read as no wait at all.
constexpr std::chrono::seconds kMaxWait = std::chrono::hours(24 * 365);

std::chrono::milliseconds bounded(std::chrono::seconds wait) {
  return std::clamp(wait, std::chrono::seconds(0), kMaxWait);
}

}  // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         core::SystemTime now) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    return bounded(std::chrono::seconds(seconds));
  }
  std::istringstream in{std::string(value)};
  date::sys_seconds when;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", when);
  if (in.fail()) {
    return std::nullopt;
  }
  // Bounded in seconds first: a date centuries away is beyond what `now`'s nanoseconds hold.
  using std::chrono::milliseconds;
  const auto wait = when - std::chrono::floor<std::chrono::seconds>(now);
  if (wait <= std::chrono::seconds(0) || wait > kMaxWait)
    return bounded(wait);
  return std::max(std::chrono::duration_cast<milliseconds>(when.time_since_epoch()) -
                      std::chrono::duration_cast<milliseconds>(now.time_since_epoch()),
                  milliseconds(0));
}

}  // namespace rawfeed::http
