#include "sources/yahoo/backoff.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <string>

namespace rawfeed::sources::yahoo {

std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int retry,
                                       core::Random& random) {
  std::chrono::milliseconds ceiling = policy.base;
  for (int i = 1; i < retry && ceiling < policy.max; ++i) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, policy.max);
  const double jitter = random.uniform01();
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(jitter * static_cast<double>(ceiling.count())));
}

}  // namespace rawfeed::sources::yahoo
