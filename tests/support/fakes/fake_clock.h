#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.h"

namespace rawfeed::fakes {

// A Clock that moves only when told, for exact visibility, delay, backoff and retention tests.
// advance() moves both readings together; set() moves the wall clock alone, as NTP may.
// Thread-safe.
class FakeClock final : public core::Clock {
 public:
  // 2023-11-14T22:13:20Z: a round, recent instant so failures print readable times.
  static constexpr std::chrono::seconds kStart{1'700'000'000};

  FakeClock() = default;
  // steady_start: a non-zero steady reading lets a test tell "now" from SteadyTime{}, which
  // HttpRequest::not_before and friends read as "no time given".
  explicit FakeClock(core::SystemTime start, core::SteadyTime steady_start = {})
      : now_(start), steady_(steady_start) {}

  core::SystemTime now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  core::SteadyTime steadyNow() const override {
    std::lock_guard lock(mutex_);
    return steady_;
  }
  void advance(std::chrono::milliseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
    steady_ += by;
  }
  void set(core::SystemTime now) {
    std::lock_guard lock(mutex_);
    now_ = now;
  }

 private:
  mutable std::mutex mutex_;  // guards now_ and steady_
  core::SystemTime now_{kStart};
  core::SteadyTime steady_{};
};

}  // namespace rawfeed::fakes
