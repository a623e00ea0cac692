#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sources/yahoo/exchange_time.h"

namespace rawfeed::sources::yahoo {

// A bar length as Yahoo names it: 1m 2m 5m 15m 30m 60m 90m 1h 4h (seconds), 1d 5d (days),
// 1wk (weeks), 1mo 3mo (months).
struct BarInterval {
  enum class Unit { kSeconds, kDays, kWeeks, kMonths };
  Unit unit = Unit::kDays;
  int count = 1;

  bool intraday() const { return unit == Unit::kSeconds; }
};

std::optional<BarInterval> parseInterval(std::string_view text);

// Where a bar belongs and when its period ends, in the exchange's calendar (API_NOTES §7).
class BarPeriods {
 public:
  // `regular_start/end`: meta.currentTradingPeriod.regular, the session of the recording day.
  BarPeriods(BarInterval interval, ExchangeTime time, std::optional<std::int64_t> regular_start,
             std::optional<std::int64_t> regular_end);

  // The trading date (days since epoch) in exchange time. Weekly and longer bars that come back
  // at 22:00/23:00 local around DST belong to the next day, the period's real start.
  std::int64_t partitionDay(std::int64_t bar_start) const;
  // The instant the bar's period is over: start + length intraday (cut at the end of meta's
  // regular session when the bar lies in it); for 1d the regular session's
  // end when meta names that day's session, else the next local midnight; for 5d/1wk/1mo/3mo
  // the local midnight that starts the next period.
  std::int64_t periodEnd(std::int64_t bar_start) const;

 private:
  BarInterval interval_;
  ExchangeTime time_;
  std::optional<std::int64_t> regular_start_;
  std::optional<std::int64_t> regular_end_;
};

}  // namespace rawfeed::sources::yahoo
