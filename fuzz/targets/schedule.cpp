// Cron and rate expressions: the first line is the expression, the second (optional) the time
// zone. Each dialect's parser sees the line, and an accepted schedule is walked from instants
// around DST changes, the epoch and the end of the searchable years: every fire must come after
// the instant asked about, fall on a wall-clock minute the expression selects, skip no earlier
// minute that it selects, and name a real logical date.
#include <chrono>
#include <variant>

#include "core/time_format.h"
#include "fuzz/fuzz_support.h"
#include "schedule/cron_parser.h"
#include "schedule/expression.h"
#include "schedule/rate_parser.h"
#include "schedule/schedule.h"
#include "schedule/zone.h"

namespace {

using namespace rawfeed;
using namespace std::chrono;
using schedule::CronSpec;

bool selects(const CronSpec& spec, schedule::WallMinutes wall) {
  const sys_days date = floor<days>(sys_time<minutes>(wall));
  const year_month_day ymd(date);
  const auto in_day = wall - date.time_since_epoch();
  const int year = static_cast<int>(ymd.year());
  if (year < schedule::kFirstYear || year > schedule::kLastYear)
    return false;
  return spec.minutes.test(static_cast<std::size_t>(in_day.count() % 60)) &&
         spec.hours.test(static_cast<std::size_t>(in_day.count() / 60)) &&
         spec.months.test(static_cast<unsigned>(ymd.month())) &&
         spec.years.test(static_cast<std::size_t>(year - schedule::kFirstYear)) &&
         schedule::dayMatches(spec, ymd);
}

std::string iso(core::SystemTime t) {
  return core::formatIsoUtc(t);
}

void checkCronFire(const CronSpec& spec, const schedule::Zone& zone, core::SystemTime after,
                   core::SystemTime fire) {
  const schedule::WallMinutes wall = zone.wallMinute(fire);
  FUZZ_CHECK(selects(spec, wall), "fire at " + iso(fire) + " is not a selected minute");
  FUZZ_CHECK(zone.firstInstant(wall) == fire, "fire at " + iso(fire) +
                                                  " is not its wall "
                                                  "minute's first instant");
  // No selected minute in between that could have fired: checked when the gap is short.
  const schedule::WallMinutes from = zone.wallMinute(after);
  if (wall - from > minutes(36 * 60))
    return;
  for (schedule::WallMinutes w = from + minutes(1); w < wall; w += minutes(1)) {
    if (!selects(spec, w))
      continue;
    const auto instant = zone.firstInstant(w);
    FUZZ_CHECK(!instant || *instant <= after,
               "the selected minute at " + iso(*instant) + " was skipped for " + iso(fire));
  }
}

void walk(const schedule::Schedule& parsed, const schedule::ExpressionSpec& spec,
          const schedule::Zone& zone, core::SystemTime start) {
  core::SystemTime t = start;
  for (int i = 0; i < 3; ++i) {
    const auto next = parsed.nextAfter(t);
    if (const auto* rate = std::get_if<schedule::RateSpec>(&spec)) {
      // In seconds: a period may be longer than SystemTime's nanoseconds reach.
      const seconds period = rate->period;
      const seconds at = floor<seconds>(t).time_since_epoch();
      if (!next) {
        FUZZ_CHECK(at + period >= sys_days(year(2200) / 1 / 1).time_since_epoch(),
                   "a rate stopped early after " + iso(t));
        return;
      }
      const seconds fire = floor<seconds>(*next).time_since_epoch();
      FUZZ_CHECK(*next > t && fire - at <= period, "rate fire " + iso(*next) + " after " + iso(t));
      FUZZ_CHECK(fire.count() % period.count() == 0 && fire == next->time_since_epoch(),
                 "rate fire " + iso(*next) + " is off the period's grid");
    } else {
      if (!next)
        return;
      FUZZ_CHECK(*next > t, "cron fire " + iso(*next) + " is not after " + iso(t));
      checkCronFire(std::get<CronSpec>(spec), zone, t, *next);
    }
    const std::string date = parsed.logicalDate(*next);
    FUZZ_CHECK(core::parseDate(date).has_value(), "logical date '" + date + "'");
    t = *next;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [expression, rest] = fuzz::splitLine(fuzz::asText(data, size));
  const std::string_view zone_name = rest.empty() ? "UTC" : fuzz::splitLine(rest).first;

  // Each dialect on its own, whatever the wrapper says.
  (void)schedule::parseRate(expression);
  (void)schedule::parseAwsCron(expression);
  (void)schedule::parseUnixCron(expression);

  const auto spec = schedule::parseExpression(expression);
  const auto zone = schedule::Zone::locate(zone_name);
  const auto parsed = schedule::Schedule::parse(expression, zone_name);
  FUZZ_CHECK(parsed.ok() == (spec.ok() && zone.ok()), "Schedule::parse disagrees with its parts");
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().code == core::ErrorCode::kInvalidInput, parsed.error().describe());
    return 0;
  }
  FUZZ_CHECK(!parsed->describe().empty(), "an empty description");
  for (const auto start : {core::SystemTime(fuzz::kNow),
                           core::SystemTime(sys_days(year(2024) / 3 / 10) + hours(6) + minutes(59)),
                           core::SystemTime(sys_days(year(2024) / 11 / 3) + hours(5) + minutes(30)),
                           core::SystemTime(sys_days(year(1969) / 12 / 31)),
                           core::SystemTime(sys_days(year(2199) / 12 / 31) + hours(23))}) {
    walk(*parsed, *spec, *zone, start);
  }
  return 0;
}
