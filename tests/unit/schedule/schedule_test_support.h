#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_format.h"
#include "schedule/schedule.h"

namespace rawfeed::schedule::test {

// "2024-03-10T06:30:00Z" (or without seconds, "2024-03-10T06:30Z") as an instant. Tests write
// every expected instant in UTC, so a table row says exactly which instant it means.
inline core::SystemTime at(std::string_view iso) {
  const auto days = core::parseDate(iso.substr(0, 10));
  EXPECT_TRUE(days.has_value()) << iso;
  const auto number = [&](std::size_t pos) { return (iso[pos] - '0') * 10 + (iso[pos + 1] - '0'); };
  const int seconds = iso.size() > 17 ? number(17) : 0;
  return core::SystemTime(std::chrono::days(days.value_or(0)) + std::chrono::hours(number(11)) +
                          std::chrono::minutes(number(14)) + std::chrono::seconds(seconds));
}

inline std::string iso(core::SystemTime time) {
  return core::formatIsoUtc(time);
}

inline Schedule mustParse(std::string_view expression, std::string_view zone) {
  auto schedule = Schedule::parse(expression, zone);
  if (!schedule) {
    ADD_FAILURE() << expression << ": " << schedule.error().message;
    return Schedule::parse("rate(1 day)", "UTC").value();
  }
  return *schedule;
}

// The next `count` fires after `from`, as ISO strings; "none" once the schedule ends.
inline std::vector<std::string> nextFires(const Schedule& schedule, core::SystemTime from,
                                          std::size_t count) {
  std::vector<std::string> fires;
  std::optional<core::SystemTime> t = from;
  while (fires.size() < count) {
    t = schedule.nextAfter(*t);
    if (!t) {
      fires.push_back("none");
      break;
    }
    fires.push_back(iso(*t));
  }
  return fires;
}

// One row of a "these are the next fires" table.
struct NextCase {
  std::string name;  // the test's name: letters, digits and _ only
  std::string expression;
  std::string zone;
  std::string from;
  std::vector<std::string> expected;  // ISO instants in UTC; "none" when it stops firing
};

inline std::ostream& operator<<(std::ostream& out, const NextCase& c) {
  return out << c.expression << " in " << c.zone << " after " << c.from;
}

inline std::string caseName(const testing::TestParamInfo<NextCase>& info) {
  return info.param.name;
}

inline void expectNextFires(const NextCase& c) {
  const Schedule schedule = mustParse(c.expression, c.zone);
  EXPECT_EQ(nextFires(schedule, at(c.from), c.expected.size()), c.expected) << c;
}

}  // namespace rawfeed::schedule::test
