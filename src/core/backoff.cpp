#include "core/backoff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace rawfeed::core {

std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry, Random& random) {
  const double ceiling =
      std::min(static_cast<double>(policy.cap.count()),
               static_cast<double>(policy.base.count()) * std::pow(2.0, std::max(0, retry - 1)));
  return std::chrono::milliseconds(static_cast<std::int64_t>(random.uniform01() * ceiling));
}

}  // namespace rawfeed::core
