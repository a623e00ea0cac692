#include "deploy/scheduler_expression.h"

#include <array>
#include <bitset>
#include <variant>

#include <fmt/format.h>

#include "core/ascii.h"
#include "schedule/expression.h"

namespace rawfeed::deploy {

namespace {

constexpr std::array<const char*, 7> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                      "THU", "FRI", "SAT"};

// "1-5,7,9" from the set bits in [first, last]; `name` spells a value.
template <std::size_t N, class Name>
std::string ranges(const std::bitset<N>& bits, int first, int last, Name name) {
  std::string out;
  for (int value = first; value <= last;) {
    if (!bits.test(static_cast<std::size_t>(value))) {
      ++value;
      continue;
    }
    int end = value;
    while (end + 1 <= last && bits.test(static_cast<std::size_t>(end + 1)))
      ++end;
    if (!out.empty())
      out += ',';
    out += name(value);
    if (end > value) {
      out += end == value + 1 ? ',' : '-';
      out += name(end);
    }
    value = end + 1;
  }
  return out;
}

template <std::size_t N>
bool allSet(const std::bitset<N>& bits, int first, int last) {
  for (int value = first; value <= last; ++value) {
    if (!bits.test(static_cast<std::size_t>(value)))
      return false;
  }
  return true;
}

std::string number(int value) {
  return std::to_string(value);
}

template <std::size_t N>
std::string field(const std::bitset<N>& bits, int first, int last) {
  return allSet(bits, first, last) ? std::string("*") : ranges(bits, first, last, number);
}

core::Result<std::string> fromUnixCron(std::string_view schedule, const schedule::CronSpec& spec) {
  using Dom = schedule::DayOfMonthRule;
  using Dow = schedule::DayOfWeekRule;
  if (spec.day_of_month.kind != Dom::Kind::kDays || spec.day_of_week.kind != Dow::Kind::kWeekdays) {
    return core::makeError(core::ErrorCode::kInvalidInput,
                           fmt::format("schedule '{}': day rules other than lists and ranges are "
                                       "only accepted in cron(...) form",
                                       schedule));
  }
  const bool every_day = allSet(spec.day_of_month.days, 1, 31);
  const bool every_weekday = allSet(spec.day_of_week.weekdays, 0, 6);
  if (!every_day && !every_weekday) {
    return core::makeError(
        core::ErrorCode::kInvalidInput,
        fmt::format("schedule '{}': restricts both day-of-month and day-of-week, which Unix cron "
                    "fires on a day matching either; EventBridge Scheduler's cron needs ? in one "
                    "of them: write the schedule as cron(...) (or as two domains)",
                    schedule));
  }
  std::string day_of_month = "?";
  std::string day_of_week = "?";
  if (!every_weekday) {
    day_of_week = ranges(spec.day_of_week.weekdays, 0, 6,
                         [](int day) { return std::string(kWeekdayNames[day]); });
  } else {
    day_of_month = field(spec.day_of_month.days, 1, 31);
  }
  return fmt::format("cron({} {} {} {} {} *)", field(spec.minutes, 0, 59), field(spec.hours, 0, 23),
                     day_of_month, field(spec.months, 1, 12), day_of_week);
}

}  // namespace

core::Result<std::string> schedulerExpression(std::string_view schedule) {
  const std::string_view text = core::trimAscii(schedule, " \t\r\n");
  auto parsed = schedule::parseExpression(text);
  if (!parsed.ok())
    return parsed.error();
  if (text.rfind("cron(", 0) == 0 || text.rfind("rate(", 0) == 0)
    return std::string(text);
  return fromUnixCron(text, std::get<schedule::CronSpec>(*parsed));
}

}  // namespace rawfeed::deploy
