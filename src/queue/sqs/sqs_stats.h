#pragma once

#include <cstdint>

namespace rawfeed::queue::sqs {

// Counters for the run summary and the benchmark's requests per symbol. Monotonic.
struct SqsStats {
  std::uint64_t requests = 0;   // HTTP exchanges attempted, retries included
  std::uint64_t retries = 0;    // of those, the ones after a throttled or transient failure
  std::uint64_t throttled = 0;  // answers that asked us to slow down (ThrottlingException, …)
};

}  // namespace rawfeed::queue::sqs
