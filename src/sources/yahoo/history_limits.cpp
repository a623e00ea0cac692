#include "sources/yahoo/history_limits.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "core/time_format.h"

namespace rawfeed::sources::yahoo {

namespace {

struct Limit {
  std::int64_t max_days_per_request;
  std::optional<std::int64_t> lookback_days;  // how far back from today data exists
};

Limit limitFor(std::string_view interval) {
  if (interval == "1m")
    return {7, 30};
  if (interval == "60m" || interval == "1h")
    return {730, 730};
  if (interval == "2m" || interval == "5m" || interval == "15m" || interval == "30m" ||
      interval == "90m") {
    return {60, 60};
  }
  return {36500, std::nullopt};  // 1d and longer: 100 years per request
}

core::Error invalid(const std::string& message) {
  return core::makeError(core::ErrorCode::kInvalidInput, message);
}

}  // namespace

core::Result<std::vector<DateWindow>> splitBackfill(std::string_view interval,
                                                    std::string_view start, std::string_view end,
                                                    core::SystemTime now) {
  const auto first = core::parseDate(start);
  const auto last = core::parseDate(end);
  if (!first)
    return invalid("backfill start '" + std::string(start) + "' is not a date YYYY-MM-DD");
  if (!last)
    return invalid("backfill end '" + std::string(end) + "' is not a date YYYY-MM-DD");
  if (*last < *first) {
    return invalid("backfill end " + std::string(end) + " is before start " + std::string(start));
  }
  const Limit limit = limitFor(interval);
  const std::int64_t today =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / 86400;
  if (limit.lookback_days && *first < today - *limit.lookback_days) {
    return invalid("interval " + std::string(interval) + " reaches back only " +
                   std::to_string(*limit.lookback_days) + " days (to " +
                   core::formatDate(today - *limit.lookback_days) + "); start " +
                   std::string(start) + " is older");
  }
  std::vector<DateWindow> windows;
  for (std::int64_t day = *first; day <= *last; day += limit.max_days_per_request) {
    const std::int64_t window_end = std::min(*last, day + limit.max_days_per_request - 1);
    windows.push_back({core::formatDate(day), core::formatDate(window_end)});
  }
  return windows;
}

}  // namespace rawfeed::sources::yahoo
