#include "sources/lookback.h"

#include <algorithm>
#include <string>

#include "core/time_format.h"

namespace rawfeed::sources {
namespace {

// Days since the epoch of a civil date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t yoe = year - era * 400;
  const std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::int64_t monthsBefore(const core::CivilDate& date, int months) {
  const int total = date.year * 12 + (date.month - 1) - months;
  const int year = total / 12;
  const int month = total % 12 + 1;
  return daysFromCivil(year, month, std::min(date.day, daysInMonth(year, month)));
}

}  // namespace

core::Result<DayRange> lookbackDays(std::string_view period, std::int64_t today) {
  const auto date = core::civilDate(today);
  if (!date) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "today (" + std::to_string(today) + ") is outside 1800..2200");
  }
  DayRange range{today, today};
  if (period == "1d" || period == "5d") {
    range.first = today - (period == "1d" ? 0 : 4);
  } else if (period == "1mo" || period == "3mo" || period == "6mo") {
    range.first = monthsBefore(*date, period == "1mo" ? 1 : period == "3mo" ? 3 : 6);
  } else if (period == "1y" || period == "2y" || period == "5y" || period == "10y") {
    const int years = period == "1y" ? 1 : period == "2y" ? 2 : period == "5y" ? 5 : 10;
    range.first = monthsBefore(*date, 12 * years);
  } else if (period == "ytd") {
    range.first = daysFromCivil(date->year, 1, 1);
  } else if (period == "max") {
    range.first = core::kFirstValidDay;
  } else {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           "unknown lookback period '" + std::string(period) +
                               "' (one of 1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max)");
  }
  range.first = std::max(range.first, core::kFirstValidDay);
  return range;
}

}  // namespace rawfeed::sources
