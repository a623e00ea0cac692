#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "pipeline/batch_request.h"
#include "sources/source.h"
#include "tracker/watermark.h"

namespace rawfeed::pipeline {

// Minutes after its close that a session counts as closed: Yahoo publishes a day's final bar a
// few minutes after the close, and an answer within them may not have it yet.
inline constexpr int kSessionSettleMinutes = 30;

// Local calendar of an IANA zone (empty or unknown: UTC). Days count from 1970-01-01.
std::int64_t localDayIn(std::string_view time_zone, core::SystemTime at);
// The instants of the inclusive local days [first_day, last_day]: [first 00:00 local, the
// midnight after last_day), so a window asks for exactly those sessions wherever the exchange.
sources::TimeWindow zonedDays(std::int64_t first_day, std::int64_t last_day,
                              std::string_view time_zone);

// The latest trading day whose session had closed (and settled) at `at` on the watermark's
// exchange: today once the close is kSessionSettleMinutes past (midnight when the close is not
// known), else the day before; Saturdays and Sundays are skipped unless the symbol trades on
// them. Holidays are not known: a holiday counts as a session, which costs one request that
// finds no bars and moves checked_at past it.
std::int64_t latestClosedSession(const tracker::SymbolWatermark& watermark, core::SystemTime at);

// No session has closed on the symbol's exchange since the source last answered for it up to
// the present: asking again cannot find a new bar.
bool isUpToDate(const tracker::SymbolWatermark& watermark, core::SystemTime now);

// What an incremental batch asks of each symbol: the days after its watermark up to today on its
// exchange (in its time zone); the domain's period for a symbol with no landed day (new, or never
// with bars); nothing for one that is up to date. `symbols` in the source's notation; the order
// of `windows` follows it.
struct IncrementalPlan {
  std::vector<SymbolWindow> windows;
  std::vector<std::string> up_to_date;
  int from_watermark = 0;  // symbols asked only for the days after their watermark
  int from_period = 0;     // symbols with no watermark: the domain's period
};
IncrementalPlan planIncremental(const std::vector<std::string>& symbols,
                                const std::vector<tracker::SymbolWatermark>& watermarks,
                                core::SystemTime now);

// The watermark a worker reports for a symbol the source answered and whose objects landed:
// the latest day of `result.days`, and checked_at = `now` when the request reached the present
// (a period, or a window ending today or later), else 0.
tracker::SymbolWatermark watermarkOf(const sources::FetchRequest& request,
                                     const sources::FetchResult& result, core::SystemTime now);

}  // namespace rawfeed::pipeline
