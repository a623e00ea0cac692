#include "schedule/cron_spec.h"

namespace rawfeed::schedule {
namespace {

using std::chrono::Saturday;
using std::chrono::Sunday;
using std::chrono::weekday;
using std::chrono::year_month_day;

unsigned lastDay(year_month_day date) {
  return static_cast<unsigned>(std::chrono::year_month_day_last{
      date.year(),
      std::chrono::month_day_last{
          date.month()}}.day());
}

weekday weekdayOf(year_month_day date, unsigned day) {
  return weekday{std::chrono::sys_days{date.year() / date.month() / std::chrono::day{day}}};
}

// Quartz's W: a Saturday moves to Friday and a Sunday to Monday, unless that would leave the
// month, in which case it moves the other way (1W on a Saturday is Monday the 3rd).
unsigned nearestWeekday(year_month_day date, unsigned target, unsigned last) {
  const weekday wd = weekdayOf(date, target);
  if (wd == Saturday) {
    return target == 1 ? 3 : target - 1;
  }
  if (wd == Sunday) {
    return target == last ? target - 2 : target + 1;
  }
  return target;
}

bool dayOfMonthMatches(const DayOfMonthRule& rule, year_month_day date) {
  const unsigned day = static_cast<unsigned>(date.day());
  const unsigned last = lastDay(date);
  switch (rule.kind) {
    case DayOfMonthRule::Kind::kDays:
      return rule.days.test(day);
    case DayOfMonthRule::Kind::kLast:
      return static_cast<int>(last) - rule.offset == static_cast<int>(day);
    case DayOfMonthRule::Kind::kNearestWeekday:
      // A day the month lacks (31W in April) does not fire that month rather than drifting.
      return static_cast<unsigned>(rule.day) <= last &&
             nearestWeekday(date, static_cast<unsigned>(rule.day), last) == day;
    case DayOfMonthRule::Kind::kLastWeekday:
      return nearestWeekday(date, last, last) == day;
  }
  return false;
}

bool dayOfWeekMatches(const DayOfWeekRule& rule, year_month_day date) {
  const unsigned day = static_cast<unsigned>(date.day());
  const unsigned wd = weekdayOf(date, day).c_encoding();
  switch (rule.kind) {
    case DayOfWeekRule::Kind::kWeekdays:
      return rule.weekdays.test(wd);
    case DayOfWeekRule::Kind::kLast:
      return wd == static_cast<unsigned>(rule.weekday) && day + 7 > lastDay(date);
    case DayOfWeekRule::Kind::kNth:
      return wd == static_cast<unsigned>(rule.weekday) &&
             (day - 1) / 7 + 1 == static_cast<unsigned>(rule.nth);
  }
  return false;
}

}  // namespace

bool dayMatches(const CronSpec& spec, year_month_day date) {
  const bool by_month = dayOfMonthMatches(spec.day_of_month, date);
  const bool by_week = dayOfWeekMatches(spec.day_of_week, date);
  return spec.days_either ? (by_month || by_week) : (by_month && by_week);
}

}  // namespace rawfeed::schedule
