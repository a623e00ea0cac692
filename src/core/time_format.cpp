#include "core/time_format.h"

#include <chrono>
#include <cstdio>

namespace rawfeed::core {

namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::string formatIsoUtc(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const std::int64_t days = floorDiv(unix_seconds, 86400);
  const std::int64_t rest = unix_seconds - days * 86400;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                static_cast<int>(rest % 60));
  return text;
}

std::string formatIsoUtc(SystemTime time) {
  return formatIsoUtc(
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

std::string formatDateUtc(std::int64_t unix_seconds) {
  return formatDate(floorDiv(unix_seconds, 86400));
}

std::optional<std::int64_t> parseDate(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int offsets[3][2] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < offsets[i][1]; ++j) {
      const char c = text[static_cast<std::size_t>(offsets[i][0] + j)];
      if (c < '0' || c > '9')
        return std::nullopt;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const year_month_day ymd{year{parts[0]}, month{static_cast<unsigned>(parts[1])},
                           day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok())
    return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

std::optional<SystemTime> fromUnixMillis(std::int64_t unix_millis) {
  using namespace std::chrono;
  const milliseconds millis(unix_millis);
  if (millis < ceil<milliseconds>(SystemTime::duration::min()) ||
      millis > floor<milliseconds>(SystemTime::duration::max())) {
    return std::nullopt;
  }
  return SystemTime(duration_cast<SystemTime::duration>(millis));
}

std::string formatDate(std::int64_t days_since_epoch) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days_since_epoch}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

static_assert(std::chrono::sys_days{std::chrono::year{1800} / 1 / 1}.time_since_epoch().count() ==
              kFirstValidDay);
static_assert(std::chrono::sys_days{std::chrono::year{2200} / 12 / 31}.time_since_epoch().count() ==
              kLastValidDay);

std::optional<CivilDate> civilDate(std::int64_t days_since_epoch) {
  using namespace std::chrono;
  if (!isValidDay(days_since_epoch))
    return std::nullopt;
  const year_month_day ymd{sys_days{std::chrono::days{days_since_epoch}}};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                   static_cast<int>(unsigned(ymd.day()))};
}

}  // namespace rawfeed::core
