#include "aws/amz_time.h"

#include <chrono>

#include <fmt/format.h>

namespace rawfeed::aws {

namespace {

struct Civil {
  int year;
  unsigned month, day;
  long long seconds_of_day;
};

Civil toCivil(core::SystemTime time) {
  using namespace std::chrono;
  const auto secs = time_point_cast<seconds>(time);
  const auto days = floor<std::chrono::days>(secs);
  const year_month_day ymd{days};
  return Civil{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()), (secs - days).count()};
}

// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size())
    return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string formatAmzDate(core::SystemTime time) {
  const Civil c = toCivil(time);
  // fmt sizes the text itself: snprintf into a fixed buffer fails -Wformat-truncation at -O0,
  // where GCC cannot see that the fields are in range.
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day,
                     c.seconds_of_day / 3600, c.seconds_of_day / 60 % 60, c.seconds_of_day % 60);
}

std::string formatAmzDay(core::SystemTime time) {
  return formatAmzDate(time).substr(0, 8);
}

std::optional<core::SystemTime> parseIso8601(std::string_view text) {
  using namespace std::chrono;
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':' || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const year_month_day ymd{std::chrono::year{*year},
                           std::chrono::month{static_cast<unsigned>(*month)},
                           std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok())
    return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {  // fractional seconds: dropped, never needed
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      ++pos;
  }
  seconds offset{0};
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const auto oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (!oh || !om)
      return std::nullopt;
    offset = hours{*oh} + minutes{*om};
    if (zone[0] == '-')
      offset = -offset;
  } else {
    return std::nullopt;
  }
  const auto local = sys_days{ymd} + hours{*hour} + minutes{*minute} + seconds{*second};
  const seconds since_epoch = (local - offset).time_since_epoch();
  // Years 0000-9999 reach beyond what SystemTime's nanoseconds hold (1677-2262).
  if (since_epoch < ceil<seconds>(core::SystemTime::duration::min()) ||
      since_epoch > floor<seconds>(core::SystemTime::duration::max())) {
    return std::nullopt;
  }
  return core::SystemTime{duration_cast<core::SystemTime::duration>(since_epoch)};
}

}  // namespace rawfeed::aws
