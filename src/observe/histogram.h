#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace rawfeed::observe {

// A point-in-time copy of a histogram, for rendering, percentiles and deltas between samples.
struct HistogramSnapshot {
  std::vector<double> upper_bounds;   // ascending, finite; +Inf is implied
  std::vector<std::uint64_t> counts;  // per bucket, NOT cumulative; size upper_bounds + 1
  double sum = 0;
  std::uint64_t count = 0;  // the sum of counts, so that _count always equals the +Inf bucket

  // Prometheus's histogram_quantile: linear interpolation inside the bucket holding the rank;
  // a rank in the +Inf bucket answers the highest finite bound. nullopt without observations.
  std::optional<double> quantile(double q) const;
  // What was observed since `earlier` (a snapshot of the same histogram).
  HistogramSnapshot since(const HistogramSnapshot& earlier) const;
};

// Fixed buckets, observed on hot paths (every source request): one relaxed atomic add per
// bucket count and sum, no lock. Thread-safe.
class Histogram {
 public:
  // `upper_bounds` must be ascending and finite (checked by the registry that makes these).
  explicit Histogram(std::span<const double> upper_bounds);

  // NaN is dropped: it would poison the sum forever.
  void observe(double value) noexcept;
  HistogramSnapshot snapshot() const;
  const std::vector<double>& upperBounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // upper_bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

// Buckets for HTTP requests to a source: 5 ms .. 30 s.
inline constexpr double kRequestSecondsBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                    0.5,   1,    2.5,   5,    10,  30};
// Buckets for one queue delivery (a chunk of symbols, retries included): 50 ms .. 10 min.
inline constexpr double kDeliverySecondsBuckets[] = {0.05, 0.1, 0.25, 0.5, 1,   2.5, 5,
                                                     10,   30,  60,   120, 300, 600};

}  // namespace rawfeed::observe
