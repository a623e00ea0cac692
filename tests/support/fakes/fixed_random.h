#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <mutex>

#include "core/random.h"

namespace rawfeed::fakes {

// uniform01() answers a scripted list of draws in order, then `value` every time, so backoff
// delays are exact; draws() counts the calls (a test can hold code to "no jitter drawn").
// next64() answers a fixed sequence spread over the 64 bits: ids made from it differ from one
// another, and are the same in every run. Thread-safe.
class FixedRandom final : public core::Random {
 public:
  explicit FixedRandom(double value = 0.5) : value_(value) {}
  FixedRandom(std::initializer_list<double> script, double then = 0.5)
      : script_(script), value_(then) {}

  double uniform01() override {
    std::lock_guard lock(mutex_);
    ++draws_;
    if (script_.empty())
      return value_;
    const double value = script_.front();
    script_.pop_front();
    return value;
  }
  std::uint64_t next64() override {
    std::lock_guard lock(mutex_);
    return counter_++ * 0x9E3779B97F4A7C15ULL + 1;
  }
  int draws() const {
    std::lock_guard lock(mutex_);
    return draws_;
  }

 private:
  mutable std::mutex mutex_;  // guards everything below
  std::deque<double> script_;
  double value_;
  int draws_ = 0;
  std::uint64_t counter_ = 1;
};

}  // namespace rawfeed::fakes
