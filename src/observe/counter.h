#pragma once

#include <atomic>
#include <cstdint>

namespace rawfeed::observe {

// A monotonic count (Prometheus "counter"). Lock-free; relaxed ordering is enough because a
// scrape only needs each value eventually, not an order between values. Thread-safe.
class Counter {
 public:
  // Negative steps are ignored: a counter that went down would read as a process restart.
  void inc(std::int64_t by = 1) noexcept {
    if (by > 0)
      value_.fetch_add(by, std::memory_order_relaxed);
  }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// A value that goes up and down (Prometheus "gauge"). NaN means "unknown" (e.g. the queue's
// stats could not be read) and renders as NaN rather than a stale figure. Thread-safe.
class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

}  // namespace rawfeed::observe
