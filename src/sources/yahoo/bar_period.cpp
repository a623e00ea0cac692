#include "sources/yahoo/bar_period.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace rawfeed::sources::yahoo {
namespace {

constexpr std::int64_t kLateEveningSeconds = 22 * 3600;
// Yahoo's longest bar is 3mo; a larger count comes from a broken dataGranularity. The bound keeps
// every product with it (minutes to seconds, weeks to days, months to dates) far from overflow.
constexpr int kMaxCount = 10'000;

std::int64_t addMonths(std::int64_t day, int months) {
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  const date::year_month first = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  return date::sys_days{first / date::day{1}}.time_since_epoch().count();
}

}  // namespace

std::optional<BarInterval> parseInterval(std::string_view text) {
  int count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || count <= 0 || count > kMaxCount) {
    return std::nullopt;
  }
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit == "m")
    return BarInterval{BarInterval::Unit::kSeconds, count * 60};
  if (unit == "h")
    return BarInterval{BarInterval::Unit::kSeconds, count * 3600};
  if (unit == "d")
    return BarInterval{BarInterval::Unit::kDays, count};
  if (unit == "wk")
    return BarInterval{BarInterval::Unit::kWeeks, count};
  if (unit == "mo")
    return BarInterval{BarInterval::Unit::kMonths, count};
  return std::nullopt;
}

BarPeriods::BarPeriods(BarInterval interval, ExchangeTime time,
                       std::optional<std::int64_t> regular_start,
                       std::optional<std::int64_t> regular_end)
    : interval_(interval),
      time_(std::move(time)),
      regular_start_(regular_start),
      regular_end_(regular_end) {}

std::int64_t BarPeriods::partitionDay(std::int64_t bar_start) const {
  const std::int64_t day = time_.localDay(bar_start);
  const bool long_bar =
      interval_.unit == BarInterval::Unit::kWeeks || interval_.unit == BarInterval::Unit::kMonths;
  if (long_bar && time_.localSecondsOfDay(bar_start) >= kLateEveningSeconds) {
    return day + 1;
  }
  return day;
}

std::int64_t BarPeriods::periodEnd(std::int64_t bar_start) const {
  const std::int64_t day = partitionDay(bar_start);
  switch (interval_.unit) {
    case BarInterval::Unit::kSeconds:
      // The session's last bar ends with the session (a 1h bar from 15:30 ends at 16:00).
      if (regular_start_ && regular_end_ && bar_start >= *regular_start_ &&
          bar_start < *regular_end_) {
        return std::min<std::int64_t>(bar_start + interval_.count, *regular_end_);
      }
      return bar_start + interval_.count;
    case BarInterval::Unit::kDays:
      if (interval_.count == 1 && regular_start_ && regular_end_ &&
          time_.localDay(*regular_start_) == day) {
        return *regular_end_;
      }
      return time_.startOfLocalDay(day + interval_.count);
    case BarInterval::Unit::kWeeks:
      return time_.startOfLocalDay(day + 7 * interval_.count);
    case BarInterval::Unit::kMonths:
      return time_.startOfLocalDay(addMonths(day, interval_.count));
  }
  return bar_start;
}

}  // namespace rawfeed::sources::yahoo
