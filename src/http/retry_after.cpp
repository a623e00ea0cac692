#include "http/retry_after.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "core/ascii.h"

namespace rawfeed::http {

namespace {

// No server means a wait longer than this (callers cap waits far lower anyway); the bound keeps
// an absurd header from overflowing the milliseconds, and from being read as no wait at all.
constexpr std::chrono::seconds kMaxWait = std::chrono::hours(24 * 365);

std::chrono::milliseconds bounded(std::chrono::seconds wait) {
  return std::clamp(wait, std::chrono::seconds(0), kMaxWait);
}

// Exactly `width` digits at `pos`.
std::optional<int> digitsAt(std::string_view text, std::size_t pos, std::size_t width) {
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// An HTTP date in its one current form (IMF-fixdate, RFC 9110 §5.6.7): "Sun, 06 Nov 1994
// 08:49:37 GMT", read by position. Read by hand rather than with date::parse, which (date 3.0.1)
// converts an uninitialised value when the seconds are missing.
std::optional<std::chrono::sys_seconds> parseImfFixdate(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const auto month_name = text.substr(8, 3);
  const auto month = std::find_if(kMonths.begin(), kMonths.end(), [&](std::string_view name) {
    return core::equalsNoCase(name, month_name);
  });
  const auto day = digitsAt(text, 5, 2), year = digitsAt(text, 12, 4);
  const auto hour = digitsAt(text, 17, 2), minute = digitsAt(text, 20, 2);
  const auto second = digitsAt(text, 23, 2);
  if (month == kMonths.end() || !day || !year || !hour || !minute || !second || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year(*year),
      std::chrono::month(static_cast<unsigned>(month - kMonths.begin() + 1)),
      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok())
    return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
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
  const auto when = parseImfFixdate(value);
  if (!when) {
    return std::nullopt;
  }
  // Bounded in seconds first: a date centuries away is beyond what `now`'s nanoseconds hold.
  using std::chrono::milliseconds;
  const auto wait = *when - std::chrono::floor<std::chrono::seconds>(now);
  if (wait <= std::chrono::seconds(0) || wait > kMaxWait)
    return bounded(wait);
  return std::max(std::chrono::duration_cast<milliseconds>(when->time_since_epoch()) -
                      std::chrono::duration_cast<milliseconds>(now.time_since_epoch()),
                  milliseconds(0));
}

}  // namespace rawfeed::http
