#pragma once

#include <bitset>
#include <chrono>

namespace rawfeed::schedule {

// The first and last years a cron expression can name (AWS's year field), and so the bound of
// every search: a cron that never fires gives up after 2199 instead of looping.
inline constexpr int kFirstYear = 1970;
inline constexpr int kLastYear = 2199;

// Day-of-month: a set of days, or one of AWS's special forms (which stand alone in the field).
struct DayOfMonthRule {
  enum class Kind {
    kDays,            // the days in `days`
    kLast,            // L or L-n: the last day of the month minus `offset`
    kNearestWeekday,  // nW: the weekday nearest day `day`, without leaving the month
    kLastWeekday,     // LW: the last Monday-to-Friday of the month
  };
  Kind kind = Kind::kDays;
  std::bitset<32> days;  // bit d for day d (1..31)
  int offset = 0;        // kLast
  int day = 0;           // kNearestWeekday
};

// Day-of-week, weekdays numbered 0 = Sunday .. 6 = Saturday whatever the expression's syntax.
struct DayOfWeekRule {
  enum class Kind {
    kWeekdays,  // the weekdays in `weekdays`
    kLast,      // nL: the last `weekday` of the month
    kNth,       // n#k: the `nth` `weekday` of the month (1..5; months without one do not fire)
  };
  Kind kind = Kind::kWeekdays;
  std::bitset<7> weekdays;
  int weekday = 0;
  int nth = 0;
};

// A parsed cron expression, both dialects, in local wall-clock terms. Pure data.
struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<13> months;                         // bit m for month m (1..12)
  std::bitset<kLastYear - kFirstYear + 1> years;  // bit y - kFirstYear
  DayOfMonthRule day_of_month;
  DayOfWeekRule day_of_week;
  // Unix cron's Vixie rule: when both day fields are restricted, a day matching either fires.
  // Otherwise (AWS, or an unrestricted field) a day must match both.
  bool days_either = false;
};

// Whether the civil date fires under the spec's day-of-month, day-of-week and day rule.
bool dayMatches(const CronSpec& spec, std::chrono::year_month_day date);

}  // namespace rawfeed::schedule
