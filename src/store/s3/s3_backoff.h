#pragma once

#include <chrono>

#include "core/random.h"

namespace rawfeed::store::s3 {

// Exponential backoff with "equal jitter": before retry n (0-based) wait half of
// min(max, base * 2^n) plus a random part of the other half. Half fixed keeps a burst of SlowDown
// answers from being retried at once; half random keeps many writers from retrying in step.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max) : base_(base), max_(max) {}

  std::chrono::milliseconds delay(int retry, core::Random& random) const;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds max_;
};

}  // namespace rawfeed::store::s3
