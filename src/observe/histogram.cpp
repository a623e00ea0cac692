#include "observe/histogram.h"

#include <algorithm>
#include <cmath>

namespace rawfeed::observe {

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds.begin(), upper_bounds.end()),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value))
    return;
  // Bucket i holds le = bound[i], i.e. the first bound not below the value.
  const auto it = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value);
  counts_[static_cast<std::size_t>(it - upper_bounds_.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;
  snapshot.counts.resize(upper_bounds_.size() + 1);
  for (std::size_t i = 0; i < snapshot.counts.size(); ++i) {
    snapshot.counts[i] = counts_[i].load(std::memory_order_relaxed);
    snapshot.count += snapshot.counts[i];
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::optional<double> HistogramSnapshot::quantile(double q) const {
  if (count == 0 || std::isnan(q))
    return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * static_cast<double>(count);
  std::uint64_t below = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const std::uint64_t through = below + counts[i];
    if (static_cast<double>(through) >= rank && counts[i] > 0) {
      if (i == upper_bounds.size()) {
        return upper_bounds.empty() ? std::nullopt : std::optional(upper_bounds.back());
      }
      // As Prometheus does, the first bucket starts at 0 when its bound is positive.
      const double start = i == 0 ? std::min(0.0, upper_bounds[0]) : upper_bounds[i - 1];
      const double end = upper_bounds[i];
      const double into = (rank - static_cast<double>(below)) / static_cast<double>(counts[i]);
      return start + (end - start) * into;
    }
    below = through;
  }
  return upper_bounds.empty() ? std::nullopt : std::optional(upper_bounds.back());
}

HistogramSnapshot HistogramSnapshot::since(const HistogramSnapshot& earlier) const {
  HistogramSnapshot delta = *this;
  if (earlier.counts.size() != counts.size())
    return delta;  // another histogram: no baseline
  delta.count = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    // Counts only grow; a smaller value means the histogram was replaced, so count afresh.
    delta.counts[i] = counts[i] >= earlier.counts[i] ? counts[i] - earlier.counts[i] : counts[i];
    delta.count += delta.counts[i];
  }
  delta.sum = sum - earlier.sum;
  return delta;
}

}  // namespace rawfeed::observe
