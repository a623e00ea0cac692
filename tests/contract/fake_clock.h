#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.h"

namespace rawfeed::contract {

// A Clock that moves only when told, for exact visibility, delay and retention tests. Both
// readings move together. Thread-safe. Reusable by any test: include "contract/fake_clock.h".
class FakeClock final : public core::Clock {
 public:
  // 2023-11-14T22:13:20Z: a round, recent instant so failures print readable times.
  static constexpr std::chrono::seconds kStart{1'700'000'000};

  FakeClock() = default;
  explicit FakeClock(core::SystemTime start) : now_(start) {}

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

 private:
  mutable std::mutex mutex_;  // guards now_ and steady_
  core::SystemTime now_{kStart};
  core::SteadyTime steady_{};
};

}  // namespace rawfeed::contract
