#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "alarms/alarm_definition.h"
#include "core/clock.h"

namespace rawfeed::alarms {

// One period's datapoint, or its absence.
struct WindowSlot {
  std::int64_t start = 0;  // unix seconds, a multiple of the period
  std::optional<double> value;
};

// Readings of one alarm's metric, reduced to one datapoint per period with the alarm's
// statistic. Periods are aligned to the epoch (minute boundaries for 60 s), as CloudWatch's.
// Keeps only what the window can still see. Not thread-safe: the evaluator locks.
class PeriodSeries {
 public:
  PeriodSeries(std::chrono::seconds period, int keep_periods, Statistic statistic);

  void add(core::SystemTime time, double value);
  // The `count` complete periods before the one holding `now`, oldest first.
  std::vector<WindowSlot> window(core::SystemTime now, int count) const;

 private:
  struct Aggregate {
    double sum = 0;
    double min = 0;
    double max = 0;
    std::int64_t count = 0;
  };
  std::int64_t periodStart(core::SystemTime time) const;
  double reduce(const Aggregate& aggregate) const;

  std::int64_t period_;
  int keep_periods_;
  Statistic statistic_;
  std::map<std::int64_t, Aggregate> periods_;  // by period start
};

}  // namespace rawfeed::alarms
