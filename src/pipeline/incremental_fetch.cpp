#include "pipeline/incremental_fetch.h"

#include <date/tz.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/time_format.h"

namespace rawfeed::pipeline {

namespace {

// The zone's tz database entry; nullptr for UTC, an empty name or a name the database lacks.
const date::time_zone* incrementalZone(std::string_view time_zone) {
  if (time_zone.empty() || time_zone == "UTC")
    return nullptr;
  try {
    return date::locate_zone(time_zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Local seconds since the epoch of an instant.
std::int64_t incrementalLocalSeconds(const date::time_zone* zone, std::int64_t unix_seconds) {
  if (zone == nullptr)
    return unix_seconds;
  const date::sys_seconds instant{std::chrono::seconds(unix_seconds)};
  return zone->to_local(instant).time_since_epoch().count();
}

std::int64_t floorDiv(std::int64_t value, std::int64_t divisor) {
  return value / divisor - ((value % divisor != 0) && ((value < 0) != (divisor < 0)) ? 1 : 0);
}

bool isWeekend(std::int64_t day) {
  const std::int64_t weekday = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0: Sunday
  return weekday == 0 || weekday == 6;
}

std::int64_t unixSeconds(core::SystemTime at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

}  // namespace

std::int64_t localDayIn(std::string_view time_zone, core::SystemTime at) {
  return floorDiv(incrementalLocalSeconds(incrementalZone(time_zone), unixSeconds(at)), 86400);
}

sources::TimeWindow zonedDays(std::int64_t first_day, std::int64_t last_day,
                              std::string_view time_zone) {
  const date::time_zone* zone = incrementalZone(time_zone);
  if (zone == nullptr)
    return sources::TimeWindow::ofDays(first_day, last_day);
  const auto midnight = [zone](std::int64_t day) {
    const date::local_seconds local{std::chrono::seconds(day * 86400)};
    // A midnight skipped by a DST change starts the day at the transition; a repeated one at
    // the earlier instant.
    const auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent)
      return info.first.end.time_since_epoch().count();
    return (local.time_since_epoch() - info.first.offset).count();
  };
  return sources::TimeWindow{midnight(first_day), midnight(last_day + 1)};
}

std::int64_t latestClosedSession(const tracker::SymbolWatermark& watermark, core::SystemTime at) {
  const std::int64_t local =
      incrementalLocalSeconds(incrementalZone(watermark.time_zone), unixSeconds(at));
  std::int64_t day = floorDiv(local, 86400);
  const std::int64_t minute = (local - day * 86400) / 60;
  const bool closed_today = watermark.session_close_minute >= 0 &&
                            minute >= watermark.session_close_minute + kSessionSettleMinutes;
  if (!closed_today)
    --day;
  while (!watermark.weekends && isWeekend(day))
    --day;
  return day;
}

bool isUpToDate(const tracker::SymbolWatermark& watermark, core::SystemTime now) {
  // A check from the future (a clock that was wrong, a document someone edited) proves nothing:
  // trusting it would keep the symbol from being asked until that day.
  if (watermark.checked_at <= 0 || watermark.checked_at > unixSeconds(now) + 86400)
    return false;
  const core::SystemTime checked{std::chrono::seconds(watermark.checked_at)};
  return latestClosedSession(watermark, now) <= latestClosedSession(watermark, checked);
}

IncrementalPlan planIncremental(const std::vector<std::string>& symbols,
                                const std::vector<tracker::SymbolWatermark>& watermarks,
                                core::SystemTime now) {
  std::map<std::string_view, const tracker::SymbolWatermark*> by_symbol;
  for (const auto& watermark : watermarks)
    by_symbol.emplace(watermark.symbol, &watermark);
  IncrementalPlan plan;
  std::set<std::string_view> seen;
  for (const auto& symbol : symbols) {
    if (!seen.insert(symbol).second)
      continue;
    const auto found = by_symbol.find(symbol);
    const tracker::SymbolWatermark* watermark = found == by_symbol.end() ? nullptr : found->second;
    if (watermark != nullptr && isUpToDate(*watermark, now)) {
      plan.up_to_date.push_back(symbol);
      continue;
    }
    auto last = watermark == nullptr ? std::nullopt : core::parseDate(watermark->last_day);
    // A last day after tomorrow is no trading day the lake can hold yet: not trusted.
    if (last && *last > localDayIn(watermark->time_zone, now) + 1)
      last.reset();
    if (!last) {
      plan.windows.push_back({symbol, "", "", ""});
      ++plan.from_period;
      continue;
    }
    const std::int64_t today = localDayIn(watermark->time_zone, now);
    if (*last + 1 > today) {
      // The lake has today already (a clock behind the exchange's): nothing after it to ask.
      plan.up_to_date.push_back(symbol);
      continue;
    }
    plan.windows.push_back(
        {symbol, core::formatDate(*last + 1), core::formatDate(today), watermark->time_zone});
    ++plan.from_watermark;
  }
  return plan;
}

tracker::SymbolWatermark watermarkOf(const sources::FetchRequest& request,
                                     const sources::FetchResult& result, core::SystemTime now) {
  tracker::SymbolWatermark watermark;
  watermark.symbol = result.symbol;
  watermark.time_zone = result.exchange_timezone;
  watermark.session_close_minute = result.session_close_minute;
  for (const auto& day : result.days) {
    watermark.last_day = std::max(watermark.last_day, day.day);
    if (auto parsed = core::parseDate(day.day); parsed && isWeekend(*parsed))
      watermark.weekends = true;
  }
  const bool reaches_present =
      !request.window || !request.window->end || *request.window->end >= unixSeconds(now);
  if (reaches_present)
    watermark.checked_at = unixSeconds(now);
  return watermark;
}

}  // namespace rawfeed::pipeline
