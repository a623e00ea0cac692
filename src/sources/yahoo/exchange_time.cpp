#include "sources/yahoo/exchange_time.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>
#include <exception>

namespace rawfeed::sources::yahoo {
namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

constexpr std::int64_t kDay = 86400;
// Real UTC offsets stay within ±14 h; ±18 h is what ISO 8601 and java.time allow.
constexpr std::int64_t kMaxUtcOffset = 18 * 3600;

}  // namespace

struct ExchangeTime::Zone {
  const date::time_zone* tz = nullptr;
};

ExchangeTime ExchangeTime::forExchange(std::string_view zone_name,
                                       std::optional<std::int64_t> gmtoffset) {
  ExchangeTime time;
  if (!zone_name.empty()) {
    try {
      time.zone_ = std::make_shared<const Zone>(Zone{date::locate_zone(zone_name)});
      return time;
    } catch (const std::exception&) {
      // Unknown to this tz database: fall through to the offset.
    }
  }
  const std::string what = zone_name.empty() ? std::string("no exchangeTimezoneName")
                                             : fmt::format("unknown time zone '{}'", zone_name);
  if (gmtoffset && (*gmtoffset < -kMaxUtcOffset || *gmtoffset > kMaxUtcOffset)) {
    time.fallback_ = fmt::format(
        "{} and meta.gmtoffset {} s is no UTC offset (beyond 18 h): used UTC", what, *gmtoffset);
  } else if (gmtoffset) {
    time.offset_seconds_ = *gmtoffset;
    time.fallback_ = fmt::format("{}: used meta.gmtoffset {} s", what, *gmtoffset);
  } else {
    time.fallback_ = fmt::format("{} and no meta.gmtoffset: used UTC", what);
  }
  return time;
}

std::int64_t ExchangeTime::toLocal(std::int64_t unix_seconds) const {
  if (!zone_) {
    return unix_seconds + offset_seconds_;
  }
  const date::sys_seconds sys{std::chrono::seconds(unix_seconds)};
  return zone_->tz->to_local(sys).time_since_epoch().count();
}

std::int64_t ExchangeTime::localDay(std::int64_t unix_seconds) const {
  return floorDiv(toLocal(unix_seconds), kDay);
}

std::int64_t ExchangeTime::localSecondsOfDay(std::int64_t unix_seconds) const {
  return toLocal(unix_seconds) - localDay(unix_seconds) * kDay;
}

std::int64_t ExchangeTime::startOfLocalDay(std::int64_t day) const {
  if (!zone_) {
    return day * kDay - offset_seconds_;
  }
  const date::local_seconds local{std::chrono::seconds(day * kDay)};
  const date::local_info info = zone_->tz->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    // Midnight skipped by a DST jump: the day starts at the transition.
    return info.second.begin.time_since_epoch().count();
  }
  return zone_->tz->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

}  // namespace rawfeed::sources::yahoo
