#include "schedule/cron_parser.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "schedule/cron_field.h"

namespace rawfeed::schedule {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                           "THU", "FRI", "SAT"};

constexpr FieldRules kMinutes{"minutes", 0, 59};
constexpr FieldRules kHours{"hours", 0, 23};
constexpr FieldRules kDayOfMonth{"day-of-month", 1, 31};
constexpr FieldRules kMonth{"month", 1, 12, kMonthNames, 1};
constexpr FieldRules kYear{"year", kFirstYear, kLastYear};
constexpr FieldRules kAwsDayOfWeek{"day-of-week", 1, 7, kWeekdayNames, 1};
constexpr FieldRules kUnixDayOfWeek{"day-of-week", 0, 7, kWeekdayNames, 0};

std::vector<std::string_view> splitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t", begin);
    if (start == std::string_view::npos) {
      break;
    }
    const std::size_t end = std::min(text.find_first_of(" \t", start), text.size());
    fields.push_back(text.substr(start, end - start));
    begin = end;
  }
  return fields;
}

// Copies selected[offset .. offset + N) into a bit set, bit i meaning value i + offset.
template <std::size_t N>
std::bitset<N> toBits(const std::vector<bool>& selected, int offset = 0) {
  std::bitset<N> bits;
  const std::size_t first = static_cast<std::size_t>(offset);
  for (std::size_t v = first; v < selected.size() && v - first < N; ++v) {
    if (selected[v]) {
      bits.set(v - first);
    }
  }
  return bits;
}

template <std::size_t N>
core::Result<std::bitset<N>> parseBits(std::string_view text, const FieldRules& rules,
                                       int offset = 0) {
  auto selected = parseField(text, rules);
  if (!selected) {
    return selected.error();
  }
  return toBits<N>(*selected, offset);
}

core::Error specialFormError(const FieldRules& rules, std::string_view text,
                             std::string_view forms) {
  return fieldError(rules, fmt::format("'{}' is not one of {}; these forms stand alone in the "
                                       "field, without lists, ranges or steps",
                                       text, forms));
}

// L, L-n, LW and nW (AWS and Quartz).
core::Result<DayOfMonthRule> parseDayOfMonthSpecial(std::string_view text) {
  constexpr std::string_view kForms = "L, L-n, LW, nW";
  DayOfMonthRule rule;
  if (text == "L") {
    rule.kind = DayOfMonthRule::Kind::kLast;
    return rule;
  }
  if (text == "LW") {
    rule.kind = DayOfMonthRule::Kind::kLastWeekday;
    return rule;
  }
  if (text.size() > 2 && text.substr(0, 2) == "L-") {
    constexpr FieldRules kOffset{"day-of-month", 0, 30};
    auto offset = parseFieldValue(text.substr(2), kOffset);
    if (!offset) {
      return offset.error();
    }
    rule.kind = DayOfMonthRule::Kind::kLast;
    rule.offset = *offset;
    return rule;
  }
  if (text.size() > 1 && text.back() == 'W' && text.find_first_of("L,-/*") == std::string::npos) {
    auto day = parseFieldValue(text.substr(0, text.size() - 1), kDayOfMonth);
    if (!day) {
      return day.error();
    }
    rule.kind = DayOfMonthRule::Kind::kNearestWeekday;
    rule.day = *day;
    return rule;
  }
  return specialFormError(kDayOfMonth, text, kForms);
}

core::Result<DayOfMonthRule> parseAwsDayOfMonth(std::string_view text) {
  if (text.find_first_of("LW") != std::string_view::npos) {
    return parseDayOfMonthSpecial(text);
  }
  auto days = parseBits<32>(text, kDayOfMonth);
  if (!days) {
    return days.error();
  }
  DayOfMonthRule rule;
  rule.days = *days;
  return rule;
}

// nL and n#k, n a weekday 1-7 or SUN-SAT.
core::Result<DayOfWeekRule> parseDayOfWeekSpecial(std::string_view text) {
  constexpr std::string_view kForms = "nL (6L = last Friday), n#k (6#3 = third Friday)";
  if (text == "L") {
    return fieldError(kAwsDayOfWeek, "L needs a weekday before it, e.g. 6L for the last Friday");
  }
  if (text.find_first_of(",-/*") != std::string_view::npos) {
    return specialFormError(kAwsDayOfWeek, text, kForms);
  }
  DayOfWeekRule rule;
  const std::size_t hash = text.find('#');
  if (hash == std::string_view::npos && text.size() > 1 && text.back() == 'L') {
    auto weekday = parseFieldValue(text.substr(0, text.size() - 1), kAwsDayOfWeek);
    if (!weekday) {
      return weekday.error();
    }
    rule.kind = DayOfWeekRule::Kind::kLast;
    rule.weekday = *weekday - 1;
    return rule;
  }
  if (hash == std::string_view::npos) {
    return specialFormError(kAwsDayOfWeek, text, kForms);
  }
  auto weekday = parseFieldValue(text.substr(0, hash), kAwsDayOfWeek);
  if (!weekday) {
    return weekday.error();
  }
  constexpr FieldRules kNth{"day-of-week", 1, 5};
  auto nth = parseFieldValue(text.substr(hash + 1), kNth);
  if (!nth) {
    return fieldError(kAwsDayOfWeek, fmt::format("in '{}' the week after # must be 1-5", text));
  }
  rule.kind = DayOfWeekRule::Kind::kNth;
  rule.weekday = *weekday - 1;
  rule.nth = *nth;
  return rule;
}

core::Result<DayOfWeekRule> parseAwsDayOfWeek(std::string_view text) {
  // Weekday names hold no L or #, but a trailing L (6L, FRIL) or a # marks the special forms.
  if (text.find('#') != std::string_view::npos || text.back() == 'L' || text.back() == 'l') {
    return parseDayOfWeekSpecial(text);
  }
  auto weekdays = parseBits<7>(text, kAwsDayOfWeek, 1);
  if (!weekdays) {
    return weekdays.error();
  }
  DayOfWeekRule rule;
  rule.weekdays = *weekdays;
  return rule;
}

// The fields every dialect shares.
core::Status parseTimeAndMonth(std::string_view minutes, std::string_view hours,
                               std::string_view month, CronSpec& spec) {
  auto m = parseBits<60>(minutes, kMinutes);
  if (!m) {
    return m.error();
  }
  auto h = parseBits<24>(hours, kHours);
  if (!h) {
    return h.error();
  }
  auto mo = parseBits<13>(month, kMonth);
  if (!mo) {
    return mo.error();
  }
  spec.minutes = *m;
  spec.hours = *h;
  spec.months = *mo;
  return core::okStatus();
}

core::Status checkQuestionMarks(std::string_view day_of_month, std::string_view day_of_week) {
  const bool month_any = day_of_month == "?";
  const bool week_any = day_of_week == "?";
  if (month_any && week_any) {
    return core::invalidInput(
        "day-of-month and day-of-week cannot both be ?; use ? in exactly one of them");
  }
  if (!month_any && !week_any) {
    return core::invalidInput(
        "day-of-month and day-of-week cannot both be specified; use ? in one of them");
  }
  return core::okStatus();
}

}  // namespace

core::Result<CronSpec> parseAwsCron(std::string_view text) {
  const auto fields = splitFields(text);
  if (fields.size() != 6) {
    return core::invalidInput(
        fmt::format("expected 6 fields (minutes hours day-of-month month day-of-week "
                    "year), got {}",
                    fields.size()));
  }
  CronSpec spec;
  if (auto shared = parseTimeAndMonth(fields[0], fields[1], fields[3], spec); !shared) {
    return shared.error();
  }
  if (auto marks = checkQuestionMarks(fields[2], fields[4]); !marks) {
    return marks.error();
  }
  if (fields[2] == "?") {
    spec.day_of_month.days.set();
  } else if (auto rule = parseAwsDayOfMonth(fields[2]); rule) {
    spec.day_of_month = *rule;
  } else {
    return rule.error();
  }
  if (fields[4] == "?") {
    spec.day_of_week.weekdays.set();
  } else if (auto rule = parseAwsDayOfWeek(fields[4]); rule) {
    spec.day_of_week = *rule;
  } else {
    return rule.error();
  }
  auto years = parseBits<kLastYear - kFirstYear + 1>(fields[5], kYear, kFirstYear);
  if (!years) {
    return years.error();
  }
  spec.years = *years;
  return spec;
}

core::Result<CronSpec> parseUnixCron(std::string_view text) {
  const auto fields = splitFields(text);
  if (fields.size() != 5) {
    return core::invalidInput(fmt::format(
        "expected 5 fields (minute hour day-of-month month day-of-week), got {}", fields.size()));
  }
  CronSpec spec;
  if (auto shared = parseTimeAndMonth(fields[0], fields[1], fields[3], spec); !shared) {
    return shared.error();
  }
  auto days = parseBits<32>(fields[2], kDayOfMonth);
  if (!days) {
    return days.error();
  }
  auto weekdays = parseField(fields[4], kUnixDayOfWeek);
  if (!weekdays) {
    return weekdays.error();
  }
  spec.day_of_month.days = *days;
  spec.day_of_week.weekdays = toBits<7>(*weekdays);
  if ((*weekdays)[7]) {
    spec.day_of_week.weekdays.set(0);  // 7 is Sunday too
  }
  spec.days_either = fields[2].front() != '*' && fields[4].front() != '*';
  spec.years.set();
  return spec;
}

}  // namespace rawfeed::schedule
