#include "store/s3/s3_backoff.h"

#include <algorithm>

namespace rawfeed::store::s3 {

std::chrono::milliseconds Backoff::delay(int retry, core::Random& random) const {
  // Doubling stops at the cap, so a large retry number cannot overflow.
  std::chrono::milliseconds ceiling = base_;
  for (int i = 0; i < retry && ceiling < max_; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, max_);
  const auto half = ceiling / 2;
  const auto jitter = std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(random.uniform01() * double(half.count())));
  return ceiling - half + jitter;
}

}  // namespace rawfeed::store::s3
