#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "observe/domain_metrics.h"
#include "observe/histogram.h"
#include "observe/metrics_registry.h"
#include "observe/ring_buffer.h"

namespace rawfeed::observe {

// One domain's figures at one instant, for the dashboard's charts. Gauges are nullopt when
// unknown (NaN); deltas cover the time since the previous point.
struct SamplePoint {
  std::int64_t t = 0;  // unix seconds
  std::optional<double> visible;
  std::optional<double> in_flight;
  std::optional<double> delayed;
  std::optional<double> dlq;
  std::optional<double> oldest_age_seconds;
  std::int64_t symbols_ok = 0;  // symbols with outcome ok since the previous point
  std::int64_t errors = 0;      // worker errors since the previous point
  // Symbols that ended ok or empty (useful work) per second since the previous point.
  double throughput_per_second = 0;
  // Of the deliveries finished since the previous point; nullopt when there were none.
  std::optional<double> latency_p50_seconds;
  std::optional<double> latency_p95_seconds;
};

// Keeps the last `capacity` points per domain (360 at 10 s = one hour). Owns no thread: the
// service calls sample() every `interval`, and a test calls it directly. Thread-safe.
class Sampler {
 public:
  Sampler(const MetricsRegistry& registry, const core::Clock& clock, std::chrono::seconds interval,
          std::size_t capacity = 360);

  // Deltas of the first point are counted from now. The metrics' registry must be this one.
  void addDomain(const DomainMetrics& metrics);

  // Runs the registry's collectors (fresh queue gauges), then records one point per domain.
  void sample();

  std::vector<SamplePoint> points(std::string_view domain) const;
  // {"domain","interval_seconds","points":[{"t",..,"latency_p95_seconds"}]}, unknown values as
  // null. kNotFound for a domain never added.
  core::Result<std::string> toJson(std::string_view domain) const;

  std::chrono::seconds interval() const { return interval_; }

 private:
  struct Baseline {
    core::SystemTime time;
    std::int64_t symbols_ok = 0;
    std::int64_t symbols_useful = 0;
    std::int64_t errors = 0;
    HistogramSnapshot deliveries;
  };
  struct Series {
    DomainMetrics metrics;
    Baseline baseline;
    RingBuffer<SamplePoint> points;
  };

  static Baseline readBaseline(const DomainMetrics& metrics, core::SystemTime now);
  static SamplePoint pointFor(const Series& series, const Baseline& now);

  const MetricsRegistry& registry_;
  const core::Clock& clock_;
  std::chrono::seconds interval_;
  std::size_t capacity_;
  mutable std::mutex mutex_;  // guards series_
  std::map<std::string, Series, std::less<>> series_;
};

}  // namespace rawfeed::observe
