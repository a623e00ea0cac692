#include "alarms/period_series.h"

#include <algorithm>

namespace rawfeed::alarms {

PeriodSeries::PeriodSeries(std::chrono::seconds period, int keep_periods, Statistic statistic)
    : period_(std::max<std::int64_t>(1, period.count())),
      keep_periods_(keep_periods),
      statistic_(statistic) {}

std::int64_t PeriodSeries::periodStart(core::SystemTime time) const {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  // Floor division, so that instants before 1970 still land in the right period.
  std::int64_t index = seconds / period_;
  if (seconds % period_ < 0)
    --index;
  return index * period_;
}

void PeriodSeries::add(core::SystemTime time, double value) {
  const std::int64_t start = periodStart(time);
  Aggregate& a = periods_[start];
  if (a.count == 0) {
    a.min = a.max = value;
  } else {
    a.min = std::min(a.min, value);
    a.max = std::max(a.max, value);
  }
  a.sum += value;
  ++a.count;
  // Forget what no window can reach any more (one spare period for late readings).
  const std::int64_t oldest_kept = start - static_cast<std::int64_t>(keep_periods_ + 1) * period_;
  periods_.erase(periods_.begin(), periods_.lower_bound(oldest_kept));
}

double PeriodSeries::reduce(const Aggregate& a) const {
  switch (statistic_) {
    case Statistic::kMaximum:
      return a.max;
    case Statistic::kMinimum:
      return a.min;
    case Statistic::kAverage:
      return a.sum / static_cast<double>(a.count);
    case Statistic::kSum:
      return a.sum;
  }
  return a.max;
}

std::vector<WindowSlot> PeriodSeries::window(core::SystemTime now, int count) const {
  std::vector<WindowSlot> slots;
  const std::int64_t current = periodStart(now);
  for (int i = count; i >= 1; --i) {
    WindowSlot slot;
    slot.start = current - static_cast<std::int64_t>(i) * period_;
    if (const auto it = periods_.find(slot.start); it != periods_.end()) {
      slot.value = reduce(it->second);
    }
    slots.push_back(slot);
  }
  return slots;
}

}  // namespace rawfeed::alarms
