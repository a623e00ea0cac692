#pragma once

#include <chrono>

namespace rawfeed::core {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;

// Time is injected so that schedules, visibility timeouts, backoff and "has this session closed"
// are exact in tests. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual SystemTime now() const = 0;
  virtual SteadyTime steadyNow() const = 0;
};

class SystemClock final : public Clock {
 public:
  SystemTime now() const override { return std::chrono::system_clock::now(); }
  SteadyTime steadyNow() const override { return std::chrono::steady_clock::now(); }
};

// The process-wide real clock, for composition roots.
const Clock& systemClock();

}  // namespace rawfeed::core
