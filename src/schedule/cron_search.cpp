#include "schedule/cron_search.h"

namespace rawfeed::schedule {
namespace {

using namespace std::chrono;

struct WallFields {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
};

WallFields split(WallMinutes wall) {
  const sys_days date = floor<days>(sys_time<minutes>(wall));
  const year_month_day ymd(date);
  const minutes in_day = wall - date.time_since_epoch();
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), static_cast<int>(in_day.count() / 60),
          static_cast<int>(in_day.count() % 60)};
}

WallMinutes join(year_month_day date, int hour, int minute) {
  return sys_days(date).time_since_epoch() + hours(hour) + minutes(minute);
}

// The search starts at `start` in the first unit of each level and at the unit's beginning
// once an outer level has moved on; `at_start` tracks which.
class Search {
 public:
  Search(const CronSpec& spec, WallFields start) : spec_(spec), start_(start) {}

  std::optional<WallMinutes> run() {
    for (int y = std::max(start_.year, kFirstYear); y <= kLastYear; ++y) {
      if (!spec_.years.test(static_cast<std::size_t>(y - kFirstYear))) {
        continue;
      }
      if (auto found = inYear(y, y == start_.year)) {
        return found;
      }
    }
    return std::nullopt;
  }

 private:
  std::optional<WallMinutes> inYear(int y, bool at_start) {
    for (unsigned m = at_start ? start_.month : 1; m <= 12; ++m) {
      if (!spec_.months.test(m)) {
        continue;
      }
      if (auto found = inMonth(year(y) / month(m), at_start && m == start_.month)) {
        return found;
      }
    }
    return std::nullopt;
  }

  std::optional<WallMinutes> inMonth(year_month ym, bool at_start) {
    const unsigned last = static_cast<unsigned>((ym / std::chrono::last).day());
    for (unsigned d = at_start ? start_.day : 1; d <= last; ++d) {
      const year_month_day date = ym / day(d);
      if (!dayMatches(spec_, date)) {
        continue;
      }
      if (auto found = inDay(date, at_start && d == start_.day)) {
        return found;
      }
    }
    return std::nullopt;
  }

  std::optional<WallMinutes> inDay(year_month_day date, bool at_start) {
    for (int h = at_start ? start_.hour : 0; h < 24; ++h) {
      if (!spec_.hours.test(static_cast<std::size_t>(h))) {
        continue;
      }
      for (int m = at_start && h == start_.hour ? start_.minute : 0; m < 60; ++m) {
        if (spec_.minutes.test(static_cast<std::size_t>(m))) {
          return join(date, h, m);
        }
      }
    }
    return std::nullopt;
  }

  const CronSpec& spec_;
  WallFields start_;
};

}  // namespace

std::optional<WallMinutes> nextWallMatch(const CronSpec& spec, WallMinutes after) {
  WallFields start = split(after + minutes(1));
  if (start.year < kFirstYear) {
    start = WallFields{kFirstYear, 1, 1, 0, 0};
  }
  return Search(spec, start).run();
}

}  // namespace rawfeed::schedule
