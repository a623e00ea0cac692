#include "schedule/schedule.h"

#include <fmt/format.h>

#include <variant>

#include "schedule/cron_search.h"
#include "schedule/expression.h"
#include "schedule/zone.h"

namespace rawfeed::schedule {
namespace {

using std::chrono::floor;

// The instant after which nothing fires: 2200-01-01T00:00:00Z.
const core::SystemTime kEnd =
    core::SystemTime(std::chrono::sys_days(std::chrono::year(kLastYear + 1) / 1 / 1));

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// In whole seconds: a period of up to a million days is beyond what SystemTime's nanoseconds hold
// (about 292 years), and every multiple of a whole-second period is a whole second.
std::optional<core::SystemTime> nextRate(const RateSpec& rate, core::SystemTime t) {
  const std::int64_t period = rate.period.count();
  const std::int64_t seconds = floor<std::chrono::seconds>(t).time_since_epoch().count();
  const std::int64_t next = (floorDiv(seconds, period) + 1) * period;
  if (next >= floor<std::chrono::seconds>(kEnd).time_since_epoch().count())
    return std::nullopt;
  return core::SystemTime(std::chrono::seconds(next));
}

// Wall times come out of the search in order, and their first instants are in the same order,
// so the first one whose instant is after `t` is the answer. Candidates at or before `t` can
// only be the repeated hour of a fall-back (already fired at their first occurrence).
std::optional<core::SystemTime> nextCron(const CronSpec& cron, const Zone& zone,
                                         core::SystemTime t) {
  WallMinutes after = zone.wallMinute(t);
  while (const auto wall = nextWallMatch(cron, after)) {
    const auto instant = zone.firstInstant(*wall);
    if (instant && *instant > t) {
      return instant;
    }
    after = *wall;
  }
  return std::nullopt;
}

std::string rateDetail(const RateSpec& rate) {
  return fmt::format(", every {} s from 1970-01-01T00:00:00Z", rate.period.count());
}

}  // namespace

struct Schedule::Impl {
  std::string expression;
  Zone zone;
  ExpressionSpec spec;
};

core::Result<Schedule> Schedule::parse(std::string_view expression, std::string_view time_zone) {
  auto spec = parseExpression(expression);
  if (!spec) {
    return spec.error();
  }
  auto zone = Zone::locate(time_zone);
  if (!zone) {
    return zone.error();
  }
  const std::size_t begin = expression.find_first_not_of(" \t");
  const std::size_t end = expression.find_last_not_of(" \t");
  std::string text(expression.substr(begin, end - begin + 1));
  return Schedule(std::make_shared<const Impl>(
      Impl{std::move(text), std::move(zone).value(), std::move(spec).value()}));
}

std::optional<core::SystemTime> Schedule::nextAfter(core::SystemTime t) const {
  if (const auto* rate = std::get_if<RateSpec>(&impl_->spec)) {
    return nextRate(*rate, t);
  }
  return nextCron(std::get<CronSpec>(impl_->spec), impl_->zone, t);
}

std::string Schedule::logicalDate(core::SystemTime fire) const {
  return impl_->zone.localDate(fire);
}

std::string Schedule::describe() const {
  std::string text = impl_->expression;
  text += " in ";
  text += impl_->zone.name();
  if (const auto* rate = std::get_if<RateSpec>(&impl_->spec)) {
    text += rateDetail(*rate);
  }
  return text;
}

const std::string& Schedule::expression() const {
  return impl_->expression;
}

const std::string& Schedule::timeZone() const {
  return impl_->zone.name();
}

}  // namespace rawfeed::schedule
